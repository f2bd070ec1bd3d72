/*
 * The whole path, every hop real: a provider-shaped upstream on loopback -> a relay server on
 * loopback built on @sluice/stream-client/server -> streamText in the client.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it, vi } from 'vitest';
import { parseSSE, streamText } from '@sluice/stream-client';
import type { ProviderFormat, ServerSentEvent, StreamPart } from '@sluice/stream-client';
import { createResumableStreams, relay, toSSEResponse, writeSSE } from '@sluice/stream-client/server';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, serve, wait, writeSlowly } from './support/loopbackServer.js';

const answer = 'Relayed answers keep their order, and every token arrives exactly once, end to end.';

/** An upstream model on loopback that streams `answer` in `format`, a block every `delayMs`. */
async function upstreamModel(format: ProviderFormat, delayMs = 2, blocks = providerEvents(format, { text: answer })) {
  return serve((_request, response) => {
    beginEventStream(response);
    writeSlowly(response, blocks, delayMs);
  });
}

/** A relay server on loopback: reads the upstream with streamText and writes the sluice protocol. */
async function relayServer(upstreamUrl: string, provider: ProviderFormat, heartbeatMs?: number) {
  return serve((request, response) => {
    void writeSSE(
      response,
      (signal) => relay(streamText({ url: upstreamUrl, body: JSON.parse(request.body || '{}'), provider, signal })),
      heartbeatMs === undefined ? {} : { heartbeatMs },
    );
  });
}

describe('relay: upstream -> relay server -> client', () => {
  it.each<ProviderFormat>(['openai', 'anthropic', 'openai-responses'])(
    'carries a %s answer through in order and exactly once, with usage and finish reason',
    async (format) => {
      const upstream = await upstreamModel(format);
      const server = await relayServer(upstream.url, format);
      const parts: StreamPart[] = [];
      const stream = streamText({ url: server.url, body: { prompt: 'hi' } });
      stream.on('part', (part) => parts.push(part));
      const result = await stream.result();
      const deltas = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : []));
      expect(deltas).toEqual(tokenize(answer));
      expect(result).toMatchObject({
        text: answer,
        finishReason: 'stop',
        usage: { inputTokens: 12, outputTokens: deltas.length },
      });
      expect(JSON.parse(upstream.requests[0]!.body)).toEqual({ prompt: 'hi' });
    },
  );

  it('sends the headers that defeat buffering, the protocol header, no ids it could not honour, and heartbeats', async () => {
    const upstream = await upstreamModel('openai', 60, providerEvents('openai', { text: 'slow answer' }));
    const server = await relayServer(upstream.url, 'openai', 20);
    const response = await fetch(server.url, { method: 'POST', body: '{}' });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(response.headers.get('x-accel-buffering')).toBe('no');
    expect(response.headers.get('connection')).toBe('keep-alive');
    let heartbeats = 0;
    const events: ServerSentEvent[] = [];
    for await (const event of parseSSE(response.body!, { onComment: () => heartbeats++ })) events.push(event);
    expect(events[0]).toMatchObject({
      type: 'sluice',
      data: expect.stringMatching(/^\{"version":1,"streamId":"[\w-]+"\}$/),
    });
    // A relay without a store cannot continue a reply: an id would invite a resumption it cannot honour.
    expect(events.every((event) => event.lastEventId === '')).toBe(true);
    expect(heartbeats).toBeGreaterThan(0);
  });

  it('aborts the upstream request when the client disconnects', async () => {
    const upstream = await upstreamModel('anthropic', 40);
    const server = await relayServer(upstream.url, 'anthropic');
    const stream = streamText({ url: server.url, body: {} });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.abort();
    await upstream.requests[0]!.closed;
    expect(upstream.requests[0]!.clientHungUp()).toBe(true);
  });

  it('writes an upstream failure as an error event: the client gets the message and keeps the partial text', async () => {
    const blocks = providerEvents('anthropic', { text: answer }).slice(0, 6);
    blocks.push('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n');
    const upstream = await upstreamModel('anthropic', 2, blocks);
    const server = await relayServer(upstream.url, 'anthropic');
    const error = await streamText({ url: server.url, body: {}, retry: false })
      .result()
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({
      kind: 'provider',
      retryable: true,
      providerErrorType: 'overloaded_error',
      partial: { text: tokenize(answer).slice(0, 3).join('') },
    });
    expect((error as Error).message).toContain('Overloaded');
  });

  it('resumes through the relay after a dropped connection: the provider is asked once, no token lost or repeated', async () => {
    const upstream = await upstreamModel('openai', 5);
    const streams = createResumableStreams({ graceMs: 2000 });
    let dropped = false;
    const server = await serve(async (request, response) => {
      const lastEventId = request.headers['last-event-id'] as string | undefined;
      const events =
        lastEventId === undefined
          ? await streams.start((signal, streamId) =>
              relay(streamText({ url: upstream.url, body: {}, provider: 'openai', signal }), { retryMs: 10, streamId }),
            )
          : streams.resume(lastEventId);
      void writeSSE(response, events);
      if (!dropped) {
        // The network drops the client's first connection mid-answer.
        dropped = true;
        setTimeout(() => response.socket?.destroy(), 40);
      }
    });
    const deltas: string[] = [];
    const stream = streamText({ url: server.url, body: {}, retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 100 } });
    stream.on('text', (delta) => deltas.push(delta));
    const result = await stream.result();
    expect(result.text).toBe(answer);
    expect(deltas).toEqual(tokenize(answer));
    expect(result.metrics.attempts).toBe(2);
    // The id names the reply and the event: the server needs nothing else to continue it.
    expect(server.requests[1]!.headers['last-event-id']).toMatch(new RegExp(`^${result.streamId}:\\d+$`));
    expect(upstream.requests).toHaveLength(1);
  });

  it('refuses to resume a stream it no longer keeps, rather than answer anew', async () => {
    const streams = createResumableStreams();
    const events = [];
    for await (const event of streams.resume('0b6f3c62-unknown:12')) events.push(event);
    expect(events).toEqual([{ type: 'error', data: expect.stringContaining('no longer kept') }]);
    expect(JSON.parse(events[0]!.data)).toMatchObject({ kind: 'gone', relayed: false });
  });

  it('stops the provider when no client comes back within the grace period', async () => {
    const upstream = await upstreamModel('openai', 30);
    const streams = createResumableStreams({ graceMs: 50 });
    const events = await streams.start((signal, streamId) =>
      relay(streamText({ url: upstream.url, provider: 'openai', signal }), { streamId }),
    );
    for await (const event of events) if (event.type === 'text-delta') break;
    await upstream.requests[0]!.closed;
    expect(upstream.requests[0]!.clientHungUp()).toBe(true);
  });
});

describe('toSSEResponse', () => {
  it('streams as a Web Response, served by a plain HTTP server, and aborts the source when the client goes', async () => {
    let sourceSignal: AbortSignal | undefined;
    const server = createServer(async (_request, response) => {
      const web = toSSEResponse(async function* (signal) {
        sourceSignal = signal;
        for (let index = 0; ; index++) {
          yield { type: 'tick', data: String(index), id: String(index) };
          await wait(10);
        }
      });
      response.writeHead(web.status, Object.fromEntries(web.headers));
      const reader = web.body!.getReader();
      response.on('close', () => void reader.cancel());
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        response.write(value);
      }
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
      const response = await fetch(url);
      expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
      const seen: string[] = [];
      for await (const event of parseSSE(response.body!)) {
        seen.push(event.data);
        if (seen.length === 3) break;
      }
      expect(seen).toEqual(['0', '1', '2']);
      await expect.poll(() => sourceSignal?.aborted).toBe(true);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('writes a source that throws as an error event rather than a silent close, and logs what it threw', async () => {
    const log = vi.spyOn(console, 'error').mockImplementation(() => {});
    const response = toSSEResponse(async function* () {
      yield { data: 'one' };
      throw new Error('database went away');
    });
    const text = await response.text();
    expect(text).toContain('data: one\n\n');
    // What went wrong inside the server stays in its log; the client learns that the server failed.
    expect(text).toContain(
      'event: error\ndata: {"message":"The server failed while streaming the answer.","kind":"http","status":500,"retryable":true,"relayed":false}\n\n',
    );
    expect(text).not.toContain('database');
    expect(log).toHaveBeenCalledWith(expect.any(String), expect.objectContaining({ message: 'database went away' }));
    log.mockRestore();
  });
});
