/*
 * The demo as a person uses it: the real relay server and Vite app, driven in Debian's Chromium by
 * Playwright. Send a message, watch the answer stream in, press Stop mid-answer, and check that
 * the relay saw the browser disconnect.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright';
import type { Browser } from 'playwright';
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

describe('the demo', () => {
  it('streams an answer, stops it mid-answer, and the relay sees the disconnect', async () => {
    const page = await browser!.newPage();
    await page.goto(url);
    await page.getByRole('textbox', { name: 'Message' }).fill('How does streaming work?');
    await page.keyboard.press('Enter');

    const reply = page.getByRole('article', { name: 'Assistant' });
    await expect.poll(async () => (await reply.textContent())?.length ?? 0, { timeout: 30_000 }).toBeGreaterThan(40);
    const early = (await reply.textContent())!.length;
    // It is streaming: the text keeps growing.
    await expect.poll(async () => (await reply.textContent())!.length, { timeout: 10_000 }).toBeGreaterThan(early);

    await page.getByRole('button', { name: 'Stop' }).click();
    await expect.poll(() => reply.getAttribute('data-status')).toBe('stopped');
    const stopped = (await reply.textContent())!;
    expect(stopped).toContain('Stopped');
    const stats = async () =>
      (await (await fetch(`${url}api/stats`)).json()) as { requests: number; disconnects: number };
    await expect.poll(async () => (await stats()).disconnects, { timeout: 5000 }).toBe(1);
    // The page runs under StrictMode: still exactly one request for one message.
    expect((await stats()).requests).toBe(1);

    // Nothing more arrives after Stop.
    await page.waitForTimeout(300);
    expect(await reply.textContent()).toBe(stopped);
    await page.close();
  }, 90_000);
});
