/*
 * createNodeFetch, the fetch a Node server can give the chat handler for its provider requests:
 * against real servers on loopback, the chat handler behaves with it exactly as with the built-in
 * fetch (every provider's reply whole, each failure with the same meaning, a stop that reaches the
 * provider), and it keeps the parts of fetch a provider request relies on.
 */
import { Agent } from 'node:http';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatSession, StreamError, describeStreamError, streamText } from '@sluice/stream-client';
import { createNodeFetch } from '@sluice/stream-client/node';
import { createChatHandler } from '@sluice/stream-client/server';
import type { ChatHandlerOptions, ChatProvider } from '@sluice/stream-client/server';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, listen, serve, writeSlowly } from './support/loopbackServer.js';
import type { Handler } from './support/loopbackServer.js';

const answer = 'A fetch of our own, and the same reply down to the last token.';
const nodeFetch = createNodeFetch();

afterEach(() => {
  vi.restoreAllMocks();
});

/** A provider on loopback speaking `format`, by default streaming `answer` a token every millisecond. */
async function provider(format: ChatProvider, handler?: Handler) {
  const server = await serve(
    handler ??
      ((_request, response) => {
        beginEventStream(response);
        writeSlowly(response, providerEvents(format, { text: answer }), 1);
      }),
  );
  const origin = new URL(server.url).origin;
  return { requests: server.requests, baseURL: format === 'anthropic' ? origin : `${origin}/v1` };
}

/** The chat handler on loopback, asking its provider through createNodeFetch, and a conversation with it. */
async function chat(options: ChatHandlerOptions) {
  const handler = createChatHandler({ apiKey: 'sk-test', retry: false, fetch: nodeFetch, ...options });
  const origin = await listen((request, response) => void handler.node(request, response));
  return new ChatSession({ url: `${origin}/api/chat`, throttle: false, retry: false });
}

const lastReply = (session: ChatSession) => session.getSnapshot().messages.at(-1)!;

describe('the chat handler with createNodeFetch', () => {
  it.each(['openai', 'anthropic', 'openai-responses'] as const)(
    '%s: the reply streamed back whole, the key and the JSON body sent to the provider',
    async (format) => {
      const upstream = await provider(format);
      const session = await chat({ provider: format, model: 'the-model', baseURL: upstream.baseURL });
      await session.send('What is SSE?');
      expect(lastReply(session)).toMatchObject({
        status: 'done',
        content: answer,
        metadata: { usage: { outputTokens: tokenize(answer).length } },
      });
      const request = upstream.requests[0]!;
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toMatch(/^application\/json/);
      expect(request.headers[format === 'anthropic' ? 'x-api-key' : 'authorization']).toMatch(/sk-test/);
      expect(JSON.parse(request.body)).toMatchObject({ model: 'the-model', stream: true });
    },
  );

  it('an upstream connection cut mid-answer: kind network, the text so far kept', async () => {
    const upstream = await provider('openai', (_request, response) => {
      beginEventStream(response);
      writeSlowly(response, providerEvents('openai', { text: answer }).slice(0, 5), 1, () =>
        response.socket?.destroy(),
      );
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const session = await chat({ provider: 'openai', model: 'm', baseURL: upstream.baseURL });
    await session.send('Hi');
    const reply = lastReply(session);
    expect(reply.error).toMatchObject({ kind: 'network', relayed: true, retryable: true });
    expect(describeStreamError(reply.error!)).toBe('The connection to the model was lost.');
    expect(reply.content).toBe(tokenize(answer).slice(0, 4).join(''));
  });

  it('a rate limit: kind http 429, with the wait the provider asked for', async () => {
    const upstream = await provider('openai', (_request, response) => {
      response.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
      response.end(JSON.stringify({ error: { message: 'Rate limit reached.', type: 'requests' } }));
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const session = await chat({ provider: 'openai', model: 'm', baseURL: upstream.baseURL });
    await session.send('Hi');
    expect(lastReply(session).error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 30_000 });
  });

  it('a stream that ends without its end: kind truncated; an HTML page: kind protocol, without its markup', async () => {
    const truncated = await provider('openai', (_request, response) => {
      beginEventStream(response);
      response.end(providerEvents('openai', { text: answer }).slice(0, 5).join(''));
    });
    const page = await provider('openai', (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<!doctype html><title>Gateway login</title><script>evil()</script>');
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const first = await chat({ provider: 'openai', model: 'm', baseURL: truncated.baseURL });
    await first.send('Hi');
    expect(lastReply(first).error).toMatchObject({ kind: 'truncated' });
    const second = await chat({ provider: 'openai', model: 'm', baseURL: page.baseURL });
    await second.send('Hi');
    expect(lastReply(second).error).toMatchObject({ kind: 'protocol', retryable: false });
    expect(lastReply(second).error!.message).not.toMatch(/<|script|Gateway/);
  });

  it('Stop reaches the provider: its connection is closed while it is still writing', async () => {
    let wrote = 0;
    const upstream = await provider('openai', (_request, response) => {
      beginEventStream(response);
      const events = providerEvents('openai', { text: `${answer} `.repeat(200) });
      writeSlowly(response, events, 5);
      response.on('close', () => (wrote = events.length));
    });
    const session = await chat({ provider: 'openai', model: 'm', baseURL: upstream.baseURL });
    const sent = session.send('Hi');
    await vi.waitFor(() => expect(lastReply(session).content.length).toBeGreaterThan(0));
    session.stop();
    await sent;
    await upstream.requests[0]!.closed;
    expect(upstream.requests[0]!.clientHungUp()).toBe(true);
    expect(wrote).toBeGreaterThan(0);
    expect(lastReply(session).status).toBe('stopped');
  });
});

describe('createNodeFetch keeps what fetch does for a provider request', () => {
  it('gives each chunk to the reader as it arrives, before the response ends', async () => {
    let more = () => {};
    const server = await serve((_request, response) => {
      beginEventStream(response);
      response.write('data: first\n\n');
      more = () => response.end('data: second\n\n');
    });
    const response = await nodeFetch(server.url, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await reader.read()).value)).toBe('data: first\n\n');
    more();
    expect(decoder.decode((await reader.read()).value)).toBe('data: second\n\n');
    expect((await reader.read()).done).toBe(true);
  });

  it('holds the provider back while the reader does not read, rather than buffering its whole body', async () => {
    const size = 32 * 1024 * 1024;
    let written = 0;
    const server = await serve((_request, response) => {
      beginEventStream(response);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      const write = () => {
        while (written < size) {
          written += chunk.length;
          if (!response.write(chunk)) return void response.once('drain', write);
        }
        response.end();
      };
      write();
    });
    const response = await nodeFetch(server.url, { method: 'POST', body: '{}' });
    const reader = response.body!.getReader();
    let read = (await reader.read()).value!.byteLength;
    // Long enough for the whole body to cross loopback many times over, had nothing held it back.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(written).toBeLessThan(size / 2);
    for (let step = await reader.read(); !step.done; step = await reader.read()) read += step.value.byteLength;
    expect(read).toBe(size);
  });

  /** A body read as far as its first event, from a provider that goes on holding the connection. */
  async function midBody() {
    const server = await serve((_request, response) => {
      beginEventStream(response);
      response.write('data: first\n\n');
    });
    const controller = new AbortController();
    const response = await nodeFetch(server.url, { method: 'POST', body: '{}', signal: controller.signal });
    const reader = response.body!.getReader();
    await reader.read();
    return { server, controller, reader };
  }

  it('aborting the signal mid-body fails the read with its reason and closes the connection', async () => {
    const { server, controller, reader } = await midBody();
    const reason = new Error('the user pressed Stop');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.clientHungUp()).toBe(true);
  });

  it('an abort reaches the body after a garbage collection, when nothing else holds the request', async () => {
    setFlagsFromString('--expose-gc');
    const collectGarbage = runInNewContext('gc') as () => void;
    const { server, controller, reader } = await midBody();
    collectGarbage();
    const reason = new Error('stopped after a collection');
    controller.abort(reason);
    await expect(reader.read()).rejects.toBe(reason);
    await server.requests[0]!.closed;
  });

  it('an abort rejects at once even while the request waits for one of its agent’s sockets', async () => {
    const server = await serve((_request, response) => beginEventStream(response));
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const queuedFetch = createNodeFetch({ agents: { http: agent } });
    const holding = new AbortController();
    await queuedFetch(server.url, { method: 'POST', body: '{}', signal: holding.signal });
    const queued = new AbortController();
    const waiting = queuedFetch(server.url, { method: 'POST', body: '{}', signal: queued.signal });
    const reason = new Error('the user left');
    queued.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    holding.abort();
    agent.destroy();
  });

  it('a signal already aborted rejects before anything is sent', async () => {
    const server = await serve((_request, response) => void response.end());
    const reason = new Error('too late');
    await expect(nodeFetch(server.url, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('a refused connection rejects with a TypeError that names the cause, and streamText calls it a network error', async () => {
    // Nothing listens on port 1.
    const error = await nodeFetch('http://127.0.0.1:1/').catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TypeError);
    expect((error as TypeError).cause).toMatchObject({ code: 'ECONNREFUSED' });
    const failed = await streamText({ url: 'http://127.0.0.1:1/', fetch: nodeFetch, retry: false })
      .result()
      .catch((reason: unknown) => reason);
    expect(failed).toBeInstanceOf(StreamError);
    expect(failed).toMatchObject({ kind: 'network', retryable: true });
  });

  it('decodes as leniently as fetch: an empty or cut-short gzip body, and two encodings in turn', async () => {
    // Words that do not repeat, so that what is cut off the compressed body is a little of the text.
    const words = Array.from({ length: 2_000 }, (_, index) => ((index * 7_919) % 10_007).toString(36));
    const text = `data: ${words.join(' ')}\n\n`;
    const zipped = gzipSync(text);
    const server = await serve((request, response) => {
      const [encoding, body] =
        request.body === 'empty'
          ? ['gzip', Buffer.alloc(0)]
          : request.body === 'cut'
            ? ['gzip', zipped.subarray(0, zipped.length - 40)]
            : ['gzip, br', brotliCompressSync(zipped)];
      response.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': encoding });
      response.end(body);
    });
    const read = async (body: string) => (await nodeFetch(server.url, { method: 'POST', body })).text();
    expect(await read('empty')).toBe('');
    const cut = await read('cut');
    expect(cut.length).toBeGreaterThan(text.length / 2);
    expect(text.startsWith(cut)).toBe(true);
    expect(await read('both')).toBe(text);
  });

  it('sends the bytes it was given, though the caller changes them at once; refuses a status no Response can have', async () => {
    const server = await serve((request, response) => {
      // A body that does not end: only the client letting go closes the connection.
      if (request.body === 'odd') response.writeHead(600).write('still going');
      else response.end(request.body);
    });
    const bytes = new TextEncoder().encode('original');
    const sent = nodeFetch(server.url, { method: 'POST', body: bytes });
    bytes.fill(33);
    expect(await (await sent).text()).toBe('original');
    const odd = await nodeFetch(server.url, { method: 'POST', body: 'odd' }).catch((reason: unknown) => reason);
    expect(odd).toBeInstanceOf(TypeError);
    await server.requests[1]!.closed;
    expect(server.requests[1]!.clientHungUp()).toBe(true);
  });

  it('decodes a gzip body, keeps repeated response headers, and gives a 204 no body', async () => {
    const server = await serve((request, response) => {
      if (request.body === 'empty') {
        response.writeHead(204);
        response.end();
        return;
      }
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'content-encoding': 'gzip',
        'set-cookie': ['a=1', 'b=2'],
      });
      response.end(gzipSync('data: squeezed\n\n'));
    });
    const response = await nodeFetch(server.url, { method: 'POST', body: 'zipped' });
    expect(await response.text()).toBe('data: squeezed\n\n');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
    const empty = await nodeFetch(server.url, { method: 'POST', body: 'empty' });
    expect(empty.status).toBe(204);
    expect(empty.body).toBeNull();
  });

  it('follows a 307 with its method and body, a 303 as a GET, and drops the key when the origin changes', async () => {
    const elsewhere = await serve((request, response) => void response.end(`${request.method} ${request.body}`));
    const server = await serve((request, response, index) => {
      if (index === 0) response.writeHead(307, { location: '/moved' }).end();
      else if (index === 1) response.writeHead(303, { location: '/seen' }).end();
      else if (index === 2) response.end(`${request.method} ${request.body}`);
      else response.writeHead(308, { location: elsewhere.url }).end();
    });
    const headers = { authorization: 'Bearer sk-test', 'content-type': 'application/json' };
    // A 307 to /moved, which answers with a 303 to /seen: asked with a GET, without the body.
    expect(await (await nodeFetch(server.url, { method: 'POST', headers, body: '{"a":1}' })).text()).toBe('GET ');
    expect(server.requests[1]).toMatchObject({ method: 'POST', body: '{"a":1}' });
    expect(server.requests[1]!.headers.authorization).toBe('Bearer sk-test');
    // A 308 to another origin keeps the method and body, but not the key.
    expect(await (await nodeFetch(server.url, { method: 'POST', headers, body: '{"c":3}' })).text()).toBe(
      'POST {"c":3}',
    );
    expect(elsewhere.requests[0]!.headers.authorization).toBeUndefined();
    const manual = await nodeFetch(server.url, { method: 'POST', headers, body: '{}', redirect: 'manual' });
    expect(manual.status).toBe(308);
  });
});
