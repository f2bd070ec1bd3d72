/*
 * The demo as a person uses it: the real server (createChatHandler in front of the mock provider)
 * and Vite app, driven in Debian's Chromium by Playwright. Send a message and stop it mid-answer;
 * cut the connection mid-answer and see the same answer resume; make the provider fail and read
 * why in a sentence.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import type { Browser, Page } from 'playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumLaunchOptions } from './support/chromium.js';

const root = fileURLToPath(new URL('..', import.meta.url));
let server: ChildProcess | undefined;
let browser: Browser | undefined;
let url = '';

beforeAll(async () => {
  // No key in the environment: the demo must answer from its mock model.
  const environment: NodeJS.ProcessEnv = { ...process.env, PORT: '0' };
  delete environment['OPENAI_API_KEY'];
  delete environment['ANTHROPIC_API_KEY'];
  const child = spawn(process.execPath, ['demo/server.mjs'], {
    cwd: root,
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  server = child;
  url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /Sluice demo on (http:\/\/\S+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.on('exit', (code) => reject(new Error(`the demo server exited with ${code}`)));
  });
  browser = await chromium.launch(chromiumLaunchOptions);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

interface Stats {
  requests: number;
  resumes: number;
  stops: number;
  replies: { done: number; failed: number; stopped: number };
  provider: { requests: number; generations: number; finished: number; cancelled: number };
}

const stats = async () => (await (await fetch(`${url}api/stats`)).json()) as Stats;

async function ask(page: Page, question: string) {
  await page.getByRole('textbox', { name: 'Message' }).fill(question);
  await page.keyboard.press('Enter');
  return page.getByRole('article', { name: 'Assistant' }).last();
}

describe('the demo', () => {
  it('streams an answer, stops it mid-answer, and the server stops the provider', async () => {
    const page = await browser!.newPage();
    await page.goto(url);
    const reply = await ask(page, 'How does streaming work?');
    await expect.poll(async () => (await reply.textContent())?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(40);
    const early = (await reply.textContent())!.length;
    // It is streaming: the text keeps growing.
    await expect.poll(async () => (await reply.textContent())!.length, { timeout: 10_000 }).toBeGreaterThan(early);

    // The next question, typed while the answer streams, must survive a real click on Stop unsent.
    const box = page.getByRole('textbox', { name: 'Message' });
    await box.fill('And the next question');
    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
    await page.waitForTimeout(300);
    expect(await page.getByRole('article', { name: 'You' }).count()).toBe(1);
    expect(await box.inputValue()).toBe('And the next question');
    const stopped = (await reply.textContent())!;
    expect(stopped).toContain('Stopped');
    // Stop reached the server, which cancelled the provider request at once (not after the 10 s
    // it waits for a reconnection when a connection merely drops).
    await expect.poll(async () => (await stats()).replies.stopped, { timeout: 1000 }).toBe(1);
    const after = await stats();
    expect(after.stops).toBe(1);
    expect(after.provider.cancelled).toBe(1);
    // The page runs under StrictMode: still exactly one request for one message.
    expect(after.requests).toBe(1);
    expect(after.provider.generations).toBe(1);

    // Nothing more arrives after Stop.
    await page.waitForTimeout(300);
    expect(await reply.textContent()).toBe(stopped);
    await page.close();
  }, 90_000);

  it('resumes the same answer when the connection is cut mid-answer, every token once', async () => {
    const before = await stats();
    const page = await browser!.newPage();
    await page.goto(url);
    const reply = await ask(page, 'Explain it again /drop');
    await expect.poll(() => reply.getAttribute('data-status'), { timeout: 60_000 }).toBe('done');
    const after = await stats();
    expect(after.resumes - before.resumes).toBeGreaterThanOrEqual(1);
    // One answer from the provider, continued across the cut: not a second generation glued on.
    expect(after.provider.generations - before.provider.generations).toBe(1);
    // The text as shown, without the live region that repeats the latest block to screen readers.
    const text = await reply.evaluate((article) => {
      const copy = article.cloneNode(true) as HTMLElement;
      for (const region of copy.querySelectorAll('[aria-live]')) region.remove();
      return copy.textContent ?? '';
    });
    expect(text.match(/About "/g)).toHaveLength(1);
    expect(text.match(/Press Stop at any moment/g)).toHaveLength(1);
    expect(text).not.toContain('Stopped');
    await page.close();
  }, 90_000);

  it('shows an upstream failure as a sentence, after the server’s retries, with Retry', async () => {
    const before = await stats();
    const page = await browser!.newPage();
    await page.goto(url);
    const reply = await ask(page, 'Please /fail');
    const note = reply.getByRole('alert');
    await expect
      .poll(async () => (await note.count()) > 0 && (await note.textContent()), { timeout: 30_000 })
      .toContain('The model provider had a problem answering.');
    await expect.poll(() => reply.getAttribute('data-status')).toBe('failed');
    // The technical detail is folded away; no markup or stack anywhere.
    expect(await note.locator('details').isVisible()).toBe(true);
    expect(await note.locator('details code').isVisible()).toBe(false);
    expect(await note.textContent()).not.toMatch(/<|at .*\.js/);
    expect(await reply.getByRole('button', { name: 'Retry' }).isVisible()).toBe(true);
    const after = await stats();
    // The server made its three tries; the browser asked once.
    expect(after.provider.requests - before.provider.requests).toBe(3);
    expect(after.requests - before.requests).toBe(1);
    await page.close();
  }, 90_000);
});
