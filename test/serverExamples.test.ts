/*
 * The server examples in the README, run as they are written, each in front of a provider-shaped
 * upstream on loopback, and each answering what the React README's client sends: a ChatSession
 * with its defaults, as `<Chat url="/api/chat" />` and `useChat` run it.
 */
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { EdgeVM } from '@edge-runtime/vm';
import { build } from 'esbuild';
import express from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatSession, streamText } from '@sluice/stream-client';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, serve, serveWeb, writeSlowly } from './support/loopbackServer.js';
import { startRedisServer } from './support/redisServer.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const answer = 'Answered through the example, token by token.';

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
  const origin = new URL(server.url).origin;
  const environment = {
    OPENAI_BASE_URL: `${origin}/v1`,
    ANTHROPIC_BASE_URL: origin,
    OPENAI_API_KEY: 'test-openai-key',
    ANTHROPIC_API_KEY: 'test-anthropic-key',
  };
  for (const [name, value] of Object.entries(environment)) vi.stubEnv(name, value);
  return { ...server, environment };
}

/** What `<Chat url="/api/chat" system="..." />` runs: a ChatSession with useChat's defaults. */
async function chatAgainst(url: string) {
  const chat = new ChatSession({ url, system: 'Be brief.' });
  await chat.send('Hello');
  return chat.getSnapshot().messages.at(-1)!;
}

describe('the Express example', () => {
  it('answers the React client, resumes a dropped connection, and stops the provider on Stop', async () => {
    // The first answer streams quickly; later ones slowly enough to cut and to hang up on.
    const provider = await upstream('openai', [2, 25]);
    vi.stubEnv('PORT', '0');
    const { server } = await import('../examples/server/express.js');
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://localhost:${(server.address() as AddressInfo).port}/api/chat`;
      expect(await chatAgainst(url)).toMatchObject({ status: 'done', content: answer });
      const request = provider.requests[0]!;
      expect(request.headers['authorization']).toBe('Bearer test-openai-key');
      expect(JSON.parse(request.body)).toMatchObject({
        model: 'gpt-4o-mini',
        stream: true,
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
        ],
      });

      // The network drops the connection mid-answer: the client resumes the same reply.
      let cut = false;
      server.on('request', (_request, response) => {
        if (cut) return;
        cut = true;
        setTimeout(() => response.socket?.destroy(), 120);
      });
      const deltas: string[] = [];
      const resumed = streamText({ url, body: { messages: [{ role: 'user', content: 'Again' }] } });
      resumed.on('text', (delta) => deltas.push(delta));
      const result = await resumed.result();
      expect(deltas).toEqual(tokenize(answer));
      expect(result.metrics.attempts).toBe(2);
      expect(provider.requests).toHaveLength(2);

      // Stop mid-answer: the server is told, and cancels the provider request at once.
      const stopped = streamText({ url, body: { messages: [{ role: 'user', content: 'Stop me' }] } });
      await new Promise<void>((resolve) => stopped.on('text', () => resolve()));
      stopped.stop();
      await expect(stopped.result()).rejects.toMatchObject({ kind: 'aborted' });
      await provider.requests[2]!.closed;
      expect(provider.requests[2]!.clientHungUp()).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('also reads a body that express.json() has parsed already', async () => {
    await upstream('openai');
    const { createChatHandler } = await import('@sluice/stream-client/server');
    const chat = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini' });
    const app = express();
    app.use(express.json());
    app.post('/api/chat', chat.node);
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
      expect(await chatAgainst(url)).toMatchObject({ status: 'done', content: answer });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});

describe('the Redis example', () => {
  it('answers the React client, and a second tab on the same chat follows the live reply', async () => {
    const redis = await startRedisServer();
    const provider = await upstream('openai', [25]);
    vi.stubEnv('PORT', '0');
    vi.stubEnv('REDIS_URL', redis.url);
    const { server, store } = await import('../examples/server/expressRedis.js');
    try {
      if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
      await store.ready();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/chat`;
      const first = new ChatSession({ url, id: 'chat-7' });
      const firstToken = new Promise<void>((resolve) =>
        first.subscribe(() => first.getSnapshot().messages.at(-1)?.content && resolve()),
      );
      const sent = first.send('Hello');
      await firstToken;
      // The same chat opened in a second tab, mid-answer: it follows the reply, from its start.
      const second = new ChatSession({ url, id: 'chat-7' });
      await second.resume();
      await sent;
      for (const tab of [first, second]) {
        expect(tab.getSnapshot().messages.at(-1)).toMatchObject({ role: 'assistant', status: 'done', content: answer });
      }
      expect(provider.requests).toHaveLength(1);
    } finally {
      server.closeAllConnections();
      server.close();
      await store.close();
      await redis.stop();
    }
  });
});

describe('the Next.js route handler examples', () => {
  it('answers from Anthropic on the Node runtime', async () => {
    const provider = await upstream('anthropic');
    const { POST } = await import('../examples/server/nextRouteHandler.js');
    const url = await serveWeb((request) => POST(request));
    expect(await chatAgainst(url)).toMatchObject({ status: 'done', content: answer });
    const request = provider.requests[0]!;
    expect(request.headers['x-api-key']).toBe('test-anthropic-key');
    expect(JSON.parse(request.body)).toMatchObject({ model: 'claude-sonnet-4-5', system: 'Be brief.' });
  });

  it('answers from the Responses API on the edge runtime, with no Node API to lean on, event by event', async () => {
    // Slowly enough that a buffered body would show as one piece.
    const provider = await upstream('openai-responses', [15]);
    // The built package, bundled as Next.js bundles it for the edge, and run in Vercel's edge
    // runtime VM, where only Web APIs exist (and Next.js's process.env).
    const bundle = await build({
      entryPoints: [`${root}examples/server/nextEdgeRouteHandler.ts`],
      bundle: true,
      format: 'iife',
      globalName: 'route',
      platform: 'neutral',
      conditions: ['worker', 'browser'],
      mainFields: ['module', 'main'],
      write: false,
      logLevel: 'silent',
    });
    const vm = new EdgeVM({
      extend: (context) => Object.assign(context, { process: { env: { ...provider.environment } } }),
    });
    vm.evaluate(bundle.outputFiles[0]!.text);
    expect(vm.evaluate<string>('route.runtime')).toBe('edge');
    // When each piece of the response body left the handler, inside the VM.
    const pieces: number[] = [];
    const url = await serveWeb(async (request) => {
      // Across the VM boundary as plain data: the VM has its own Request and Response classes.
      const body = await request.text();
      const response = await vm.evaluate<
        Promise<{ status: number; headers: [string, string][]; read(): Promise<string | null> }>
      >(
        `route.POST(new Request(${JSON.stringify(request.url)}, { method: 'POST', headers: ${JSON.stringify(
          Object.fromEntries(request.headers),
        )}, body: ${JSON.stringify(body)} })).then((response) => {
          const reader = response.body.getReader();
          const decoder = new TextDecoder();
          return {
            status: response.status,
            headers: [...response.headers],
            read: () => reader.read().then(({ done, value }) => (done ? null : decoder.decode(value))),
          };
        })`,
      );
      const encoder = new TextEncoder();
      return new Response(
        new ReadableStream<Uint8Array>({
          async pull(controller) {
            const text = await response.read();
            if (text === null) return controller.close();
            pieces.push(performance.now());
            controller.enqueue(encoder.encode(text));
          },
        }),
        { status: response.status, headers: response.headers },
      );
    });
    expect(await chatAgainst(url)).toMatchObject({ status: 'done', content: answer });
    expect(JSON.parse(provider.requests[0]!.body)).toMatchObject({ model: 'gpt-4.1-mini', instructions: 'Be brief.' });
    // Streamed as the provider wrote it (a token every 15 ms), not gathered into one body at the end.
    expect(pieces.length).toBeGreaterThan(tokenize(answer).length);
    expect(pieces.at(-1)! - pieces[0]!).toBeGreaterThan(15 * (tokenize(answer).length / 2));
  });
});

describe('the Hono example', () => {
  it('answers through app.fetch, with the server’s system prompt first', async () => {
    const provider = await upstream('openai');
    const { app } = await import('../examples/server/hono.js');
    const url = await serveWeb((request) => Promise.resolve(app.fetch(request)));
    expect(await chatAgainst(`${url}/api/chat`)).toMatchObject({ status: 'done', content: answer });
    expect(JSON.parse(provider.requests[0]!.body)).toMatchObject({
      messages: [
        { role: 'system', content: 'You are a helpful assistant.\n\nBe brief.' },
        { role: 'user', content: 'Hello' },
      ],
    });
  });
});

describe('the example without a key', () => {
  it('answers the React client from its stand-in, with no provider and no key anywhere', async () => {
    vi.stubEnv('OPENAI_API_KEY', undefined);
    vi.stubEnv('PORT', '0');
    const { server } = await import('../examples/server/withoutKey.js');
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    try {
      const url = `http://localhost:${(server.address() as AddressInfo).port}/api/chat`;
      const deltas: string[] = [];
      const chat = new ChatSession({ url, onToken: (delta) => deltas.push(delta) });
      await chat.send('Hello');
      const text = 'Hello! I am a **stand-in** for a model. Set `OPENAI_API_KEY` to talk to a real one.';
      expect(chat.getSnapshot().messages.at(-1)).toMatchObject({ status: 'done', content: text });
      // Streamed a piece at a time, as a model would, not in one block.
      expect(deltas.length).toBeGreaterThan(5);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the custom relay example', () => {
  it('relays Anthropic and resumes a dropped connection from the reply its id names', async () => {
    const provider = await upstream('anthropic', [15]);
    const { POST } = await import('../examples/server/customRelay.js');
    let requests = 0;
    const url = await serveWeb(async (request) => {
      const response = await POST(request);
      if (requests++ === 0) {
        // The network drops the first connection mid-answer.
        const reader = response.body!.getReader();
        let reads = 0;
        return new Response(
          new ReadableStream({
            async pull(controller) {
              const { done, value } = await reader.read();
              if (done || reads++ === 6) controller.error(new Error('cut'));
              else controller.enqueue(value);
            },
          }),
          { headers: response.headers },
        );
      }
      return response;
    });
    const deltas: string[] = [];
    const chat = new ChatSession({ url, system: 'Be brief.', onToken: (delta) => deltas.push(delta) });
    await chat.send('Hello');
    expect(chat.getSnapshot().messages.at(-1)).toMatchObject({ status: 'done', content: answer });
    expect(deltas).toEqual(tokenize(answer));
    expect(requests).toBe(2);
    expect(provider.requests).toHaveLength(1);
    expect(JSON.parse(provider.requests[0]!.body)).toMatchObject({ system: 'Be brief.' });
  });
});

describe('the server tools example', () => {
  it('runs the tool on the server between two provider requests, streaming its progress and result', async () => {
    const provider = await serve((_request, response, index) => {
      beginEventStream(response);
      const script =
        index === 0
          ? {
              text: 'Let me check.',
              toolCalls: [{ id: 'call_order', name: 'orderStatus', arguments: { orderId: 'A-1042' } }],
            }
          : { text: 'Your order shipped and arrives Thursday.' };
      writeSlowly(response, providerEvents('openai', script), 1);
    });
    const origin = new URL(provider.url).origin;
    vi.stubEnv('OPENAI_BASE_URL', `${origin}/v1`);
    vi.stubEnv('OPENAI_API_KEY', 'test-openai-key');
    const { POST } = await import('../examples/server/serverTools.js');
    const url = await serveWeb((request) => POST(request));
    const chat = new ChatSession({ url });
    await chat.send('Where is my order A-1042?');
    const reply = chat.getSnapshot().messages.at(-1)!;
    expect(reply).toMatchObject({
      status: 'done',
      content: 'Let me check.\n\nYour order shipped and arrives Thursday.',
    });
    expect(reply.parts.find((part) => part.type === 'tool-call')).toMatchObject({
      name: 'orderStatus',
      state: 'output-available',
      output: { status: 'shipped', eta: 'Thursday' },
      runsOn: 'server',
    });
    expect(reply.parts.find((part) => part.type === 'data-progress')).toMatchObject({
      data: { stage: 'Looking up A-1042' },
    });
    const second = JSON.parse(provider.requests[1]!.body) as { messages: unknown[]; tools: unknown[] };
    expect(second.messages.at(-1)).toEqual({
      role: 'tool',
      tool_call_id: 'call_order',
      content: '{"status":"shipped","eta":"Thursday"}',
    });
    expect(second.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'orderStatus',
          description: 'The status of one of the customer’s orders.',
          parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
        },
      },
    ]);
  });
});

describe('the plain Node example, with createNodeFetch', () => {
  it('answers the React client, asking the provider through node:http, and answers 404 elsewhere', async () => {
    const provider = await upstream('openai');
    vi.stubEnv('PORT', '0');
    const { server } = await import('../examples/server/nodeServer.js');
    if (!server.listening) await new Promise((resolve) => server.once('listening', resolve));
    try {
      const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
      expect(await chatAgainst(`${origin}/api/chat`)).toMatchObject({ status: 'done', content: answer });
      const request = provider.requests[0]!;
      expect(request.headers['authorization']).toBe('Bearer test-openai-key');
      expect(JSON.parse(request.body)).toMatchObject({ model: 'gpt-4o-mini', stream: true });
      // Node's built-in fetch sends these fetch-only headers; node:http does not.
      expect(request.headers['sec-fetch-mode']).toBeUndefined();
      expect((await fetch(`${origin}/elsewhere`)).status).toBe(404);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });
});

describe('the READMEs', () => {
  it.each([
    ['express.ts', 'stream-client'],
    ['nextRouteHandler.ts', 'stream-client'],
    ['nextRouteHandler.ts', 'react'],
    ['nextEdgeRouteHandler.ts', 'stream-client'],
    ['hono.ts', 'stream-client'],
    ['withoutKey.ts', 'stream-client'],
    ['customRelay.ts', 'stream-client'],
    ['serverTools.ts', 'stream-client'],
    ['expressRedis.ts', 'redis'],
    ['nodeServer.ts', 'stream-client'],
  ])('show examples/server/%s exactly as tested (in packages/%s)', async (file, readmePackage) => {
    const [readme, example] = await Promise.all([
      readFile(`${root}packages/${readmePackage}/README.md`, 'utf8'),
      readFile(`${root}examples/server/${file}`, 'utf8'),
    ]);
    expect(readme).toContain(example.trim());
  });
});
