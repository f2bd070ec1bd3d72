/*
 * The server examples in the README, run as they are written: each relays a provider-shaped
 * upstream on loopback to a streamText client, and each test runs the example's own module.
 */
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { streamText } from '@sluice/stream-client';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, serve, writeSlowly } from './support/loopbackServer.js';

const answer = 'Relayed by the example, token by token.';
const messages = [{ role: 'user', content: 'Hello' }];

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

/** An upstream provider on loopback; the examples find it through their *_BASE_URL variable. */
async function upstream(provider: 'openai' | 'anthropic' | 'openai-responses', delays: number[] = [2]) {
  const server = await serve((_request, response, index) => {
    beginEventStream(response);
    writeSlowly(response, providerEvents(provider, { text: answer }), delays[Math.min(index, delays.length - 1)]!);
  });
  const base = server.url.replace(/\/v1\/chat$/, '/v1');
  vi.stubEnv('OPENAI_BASE_URL', base);
  vi.stubEnv('ANTHROPIC_BASE_URL', base);
  vi.stubEnv('OPENAI_API_KEY', 'test-openai-key');
  vi.stubEnv('ANTHROPIC_API_KEY', 'test-anthropic-key');
  return server;
}

describe('the Express example', () => {
  it('relays OpenAI to the client, and aborts upstream when the client goes', async () => {
    // The first answer streams quickly; the second slowly enough to hang up on.
    const provider = await upstream('openai', [2, 50]);
    const { app } = await import('../examples/server/express.js');
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
      const result = await streamText({ url, body: { messages } }).result();
      expect(result.text).toBe(answer);
      expect(result.usage).toEqual({ inputTokens: 12, outputTokens: tokenize(answer).length });
      const request = provider.requests[0]!;
      expect(request.headers['authorization']).toBe('Bearer test-openai-key');
      expect(JSON.parse(request.body)).toMatchObject({ model: 'gpt-4o-mini', stream: true, messages });

      const stream = streamText({ url, body: { messages } });
      await new Promise<void>((resolve) => stream.on('text', () => resolve()));
      stream.abort();
      await provider.requests[1]!.closed;
      expect(provider.requests[1]!.clientHungUp()).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the Next.js route handler example', () => {
  it('relays Anthropic as a Web Response', async () => {
    const provider = await upstream('anthropic');
    const { POST } = await import('../examples/server/nextRouteHandler.js');
    const result = await streamText({
      url: 'http://app.test/api/chat',
      body: { messages },
      fetch: (input, init) => POST(new Request(input, init)),
    }).result();
    expect(result.text).toBe(answer);
    expect(result.finishReason).toBe('stop');
    expect(provider.requests[0]!.headers['x-api-key']).toBe('test-anthropic-key');
  });
});

describe('the Hono example', () => {
  it('relays the Responses API through app.fetch', async () => {
    const provider = await upstream('openai-responses');
    const { app } = await import('../examples/server/hono.js');
    const result = await streamText({
      url: 'http://app.test/api/chat',
      body: { input: messages },
      fetch: (input, init) => Promise.resolve(app.fetch(new Request(input, init))),
    }).result();
    expect(result.text).toBe(answer);
    expect(JSON.parse(provider.requests[0]!.body)).toMatchObject({ model: 'gpt-4.1-mini', input: messages });
  });
});

describe('the README', () => {
  it.each(['express.ts', 'nextRouteHandler.ts', 'hono.ts'])(
    'shows examples/server/%s exactly as tested',
    async (file) => {
      const root = fileURLToPath(new URL('..', import.meta.url));
      const [readme, example] = await Promise.all([
        readFile(`${root}packages/stream-client/README.md`, 'utf8'),
        readFile(`${root}examples/server/${file}`, 'utf8'),
      ]);
      expect(readme).toContain(example.trim());
    },
  );
});
