/*
 * The demo deployed as it would be for real: two server processes (demo/server.mjs, each the chat
 * handler over @sluice/redis) sharing one redis-server, behind a load balancer that sends each API
 * request to the next process in turn, driven in Debian's Chromium. Reload mid-answer, follow in a
 * second tab, and Stop in one tab.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import { createClient } from 'redis';
import type { Browser, Locator, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from './support/chromium.js';
import { redisServerMissing, startRedisServer } from './support/redisServer.js';
import type { RedisServer } from './support/redisServer.js';
import { roundRobinProxy } from './support/roundRobinProxy.js';
import type { RoutedRequest } from './support/roundRobinProxy.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let redis: RedisServer | undefined;
const servers: ChildProcess[] = [];
const instances: string[] = [];
let proxy: Awaited<ReturnType<typeof roundRobinProxy>> | undefined;
let browser: Browser | undefined;

async function startDemo(redisUrl: string): Promise<string> {
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: '0', REDIS_URL: redisUrl };
  delete environment['OPENAI_API_KEY'];
  delete environment['ANTHROPIC_API_KEY'];
  const child = spawn(process.execPath, ['demo/server.mjs'], {
    cwd: root,
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  servers.push(child);
  return new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /Sluice demo on (http:\/\/[^/\s]+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the demo server exited with ${code}`)));
  });
}

interface Stats {
  requests: number;
  follows: number;
  stops: number;
  provider: { generations: number; cancelled: number };
}

/** A message sent to the chat endpoint: the request that makes a process call the provider. */
function isNewMessage(request: Omit<RoutedRequest, 'origin'>): boolean {
  const { method, path, headers } = request;
  return (
    method === 'POST' &&
    path === '/api/chat' &&
    headers['sluice-stop'] === undefined &&
    headers['sluice-resume'] === undefined &&
    headers['last-event-id'] === undefined
  );
}

/** Each process's counts, in the order of `instances`. */
async function statsOfEach(): Promise<Stats[]> {
  return Promise.all(instances.map(async (origin) => (await fetch(`${origin}/api/stats`)).json() as Promise<Stats>));
}

/** The two processes' counts, added up. */
async function stats(): Promise<Stats> {
  const each = await statsOfEach();
  return {
    requests: each.reduce((sum, one) => sum + one.requests, 0),
    follows: each.reduce((sum, one) => sum + one.follows, 0),
    stops: each.reduce((sum, one) => sum + one.stops, 0),
    provider: {
      generations: each.reduce((sum, one) => sum + one.provider.generations, 0),
      cancelled: each.reduce((sum, one) => sum + one.provider.cancelled, 0),
    },
  };
}

const reply = (page: Page) => page.getByRole('article', { name: 'Assistant' });

async function ask(page: Page, question: string): Promise<Locator> {
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.keyboard.press('Enter');
  return reply(page).last();
}

/** The text as shown, without the live region that repeats the latest block to screen readers. */
function shownText(article: Locator): Promise<string> {
  return article.evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const region of copy.querySelectorAll('[aria-live]')) region.remove();
    return copy.textContent ?? '';
  });
}

const length = async (article: Locator) => (await article.textContent())?.length ?? 0;

// Without redis-server, skipped: the run says why, once (test/support/redisServerCheck.ts).
describe.skipIf(redisServerMissing() !== undefined)('the demo on two server processes and Redis', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
    instances.push(...(await Promise.all([startDemo(redis.url), startDemo(redis.url)])));
    proxy = await roundRobinProxy(instances, (path) => path.startsWith('/api/'), {
      // Stop goes to a process other than the one producing the reply: it must cross through Redis.
      pick: (request, routed) => {
        if (request.headers['sluice-stop'] === undefined) return undefined;
        const producer = routed.filter(isNewMessage).at(-1)?.origin;
        return instances.find((origin) => origin !== producer);
      },
    });
    browser = await chromium.launch(chromiumLaunchOptions);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await proxy?.close();
    for (const server of servers) server.kill('SIGTERM');
    await redis?.stop();
  });

  it('completes an answer once after the page is reloaded mid-answer', async () => {
    const before = await stats();
    const page = await browser!.newPage();
    await page.goto(`${proxy!.origin}/`);
    const streaming = await ask(page, 'What happens if I reload?');
    await expect.poll(() => length(streaming), { timeout: 30_000 }).toBeGreaterThan(60);
    const address = page.url();
    await page.reload();
    expect(page.url()).toBe(address);
    // The saved question is back, and the answer goes on from where the server has it.
    await expect.poll(() => reply(page).count(), { timeout: 30_000 }).toBe(1);
    await expect.poll(() => reply(page).getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    expect(await page.getByRole('article', { name: 'You' }).count()).toBe(1);
    const text = await shownText(reply(page));
    expect(text.match(/Streaming matters because/g)).toHaveLength(1);
    expect(text.match(/Press Stop at any moment/g)).toHaveLength(1);
    const after = await stats();
    expect(after.provider.generations - before.provider.generations).toBe(1);
    expect(after.requests - before.requests).toBe(1);
    expect(after.follows - before.follows).toBeGreaterThanOrEqual(1);
    await page.close();
  }, 120_000);

  it('follows the live answer in a second tab, and Stop in that tab stops both and the provider', async () => {
    const first = await browser!.newPage();
    await first.goto(`${proxy!.origin}/`);
    // A chat's second question gets the demo's long answer: time enough to open a second tab and
    // watch it grow there, on a busy machine too (the first answer can end before the tab is up).
    const warmUp = await ask(first, 'A first question');
    await expect.poll(() => warmUp.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    const before = await stats();
    const beforeEach = await statsOfEach();
    const routedBefore = proxy!.routed.length;
    const streaming = await ask(first, 'Show me two tabs');
    await expect.poll(() => length(streaming), { timeout: 30_000 }).toBeGreaterThan(60);
    const second = await browser!.newPage();
    await second.goto(first.url());
    const followed = reply(second).last();
    await expect.poll(() => length(followed), { timeout: 30_000 }).toBeGreaterThan(60);
    // Live in both: the text keeps growing in the second tab.
    const early = await length(followed);
    await expect.poll(() => length(followed), { timeout: 10_000 }).toBeGreaterThan(early);

    await second.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => followed.getAttribute('data-status'), { timeout: 10_000 }).toBe('stopped');
    await expect.poll(() => streaming.getAttribute('data-status'), { timeout: 10_000 }).toBe('stopped');
    await expect
      .poll(async () => (await stats()).provider.cancelled - before.provider.cancelled, { timeout: 2000 })
      .toBe(1);
    const after = await stats();
    expect(after.stops - before.stops).toBe(1);
    expect(after.provider.generations - before.provider.generations).toBe(1);
    // The Stop reached one process and the provider request was cancelled by the other.
    const routed = proxy!.routed.slice(routedBefore);
    const producer = routed.filter(isNewMessage).at(-1)!.origin;
    const stopped = routed.filter((request) => request.headers['sluice-stop'] !== undefined);
    expect(stopped).toHaveLength(1);
    expect(stopped[0]!.origin).not.toBe(producer);
    const afterEach = await statsOfEach();
    const change = instances.map((origin, index) => ({
      origin,
      stops: afterEach[index]!.stops - beforeEach[index]!.stops,
      cancelled: afterEach[index]!.provider.cancelled - beforeEach[index]!.provider.cancelled,
    }));
    expect(change).toEqual(
      instances.map((origin) => ({
        origin,
        stops: origin === producer ? 0 : 1,
        cancelled: origin === producer ? 1 : 0,
      })),
    );
    // Nothing more arrives in either tab.
    const [firstText, secondText] = [await shownText(streaming), await shownText(followed)];
    await first.waitForTimeout(400);
    expect(await shownText(streaming)).toBe(firstText);
    expect(await shownText(followed)).toBe(secondText);

    // A reload shows the stopped answer with its text, and does not start it again.
    await first.reload();
    await expect.poll(() => reply(first).last().getAttribute('data-status'), { timeout: 30_000 }).toBe('stopped');
    expect(await reply(first).count()).toBe(2);
    expect((await shownText(reply(first).last())).length).toBeGreaterThan(60);
    await first.waitForTimeout(300);
    expect((await stats()).provider.generations - before.provider.generations).toBe(1);
    await Promise.all([first.close(), second.close()]);
  }, 120_000);
  it('shows a finished answer once on a page loaded while the server still names it as live', async () => {
    const page = await browser!.newPage();
    await page.goto(`${proxy!.origin}/`);
    const answered = await ask(page, 'A short question');
    await expect.poll(() => answered.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    const text = await shownText(answered);
    const chatId = new URL(page.url()).searchParams.get('chat')!;
    // The server saves a reply as it ends, and only then stops naming it as the chat's live reply:
    // a page loaded in that moment gets both. The moment is held open here, by naming it again.
    const client = createClient({ url: redis!.url });
    await client.connect();
    try {
      let streamId: string | undefined;
      for await (const keys of client.scanIterator({ MATCH: 'sluice:reply:*', COUNT: 1000 })) {
        for (const key of keys) {
          if (key.endsWith(':followed')) continue;
          const opening = (await client.xRange(key, '0-1', '0-1'))?.[0];
          if (opening?.message['chat'] === chatId) streamId = key.slice('sluice:reply:'.length);
        }
      }
      await client.set(`sluice:chat:${chatId}`, streamId!, { PX: 60_000 });
      const before = await stats();
      await page.reload();
      await expect.poll(async () => (await stats()).follows - before.follows, { timeout: 30_000 }).toBe(1);
      await page.waitForLoadState('networkidle');
      expect(await reply(page).count()).toBe(1);
      expect(await reply(page).getAttribute('data-status')).toBe('done');
      // The saved answer, once (without the timing line, which is not saved).
      const reloaded = await shownText(reply(page));
      expect(reloaded.match(/Streaming matters because/g)).toHaveLength(1);
      expect(text.startsWith(reloaded)).toBe(true);
    } finally {
      await client.del(`sluice:chat:${chatId}`);
      client.destroy();
      await page.close();
    }
  }, 120_000);
});
