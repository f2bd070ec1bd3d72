/*
 * The server half never streams for nobody, and a client never waits for nobody: each against
 * real servers on loopback.
 */
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { parseSSE, streamText } from '@sluice/stream-client';
import { relay, toSSEResponse, writeSSE } from '@sluice/stream-client/server';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, listen, serve, serveWeb, wait, writeSlowly } from './support/loopbackServer.js';

const answer = Array.from({ length: 50 }, (_, index) => `token${index}`).join(' ');

describe('a client that leaves before writeSSE is called', () => {
  it('stops the provider: over 500 such requests, none runs on for nobody', { timeout: 60_000 }, async () => {
    // The provider: 50 tokens, 10 ms apart, half a second of generation (and billing) each.
    const provider = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, providerEvents('openai', { text: answer }), 10);
    });
    // For each request, whether its source's signal was aborted before writeSSE's call returned.
    const stoppedWithinCall: boolean[] = [];
    let writes = 0;
    // The client leaves once its request has reached the handler, however busy the machine is.
    const arrivals = new Map<string, () => void>();
    const origin = await listen(async (incoming, response) => {
      arrivals.get(String(incoming.headers['x-request']))?.();
      // The handler reads a session or a database first; the client leaves meanwhile (waited for,
      // not timed, so a busy machine cannot reorder the two).
      const { socket } = incoming;
      if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
      writes++;
      let inCall = true;
      const writing = writeSSE(response, (signal) => {
        const stopped = () => void stoppedWithinCall.push(inCall);
        if (signal.aborted) stopped();
        else signal.addEventListener('abort', stopped, { once: true });
        return relay(streamText({ url: provider.url, body: {}, provider: 'openai', signal }));
      });
      inCall = false;
      await writing;
    });
    const { port } = new URL(origin);
    // Five waves of a hundred at once, so that every request reaches its handler before it leaves.
    for (let wave = 0; wave < 5; wave++) {
      await Promise.all(
        Array.from(
          { length: 100 },
          (_, index) =>
            new Promise<void>((resolve) => {
              const name = `${wave}-${index}`;
              const outgoing = request({
                host: '127.0.0.1',
                port,
                method: 'POST',
                path: '/api/chat',
                headers: { 'x-request': name },
              });
              // The client leaves 50 ms after the handler has its request, 150 ms before writeSSE.
              arrivals.set(name, () => setTimeout(() => outgoing.destroy(), 50));
              outgoing.on('error', () => resolve());
              outgoing.on('close', () => resolve());
              outgoing.end('{}');
            }),
        ),
      );
    }
    // Every handler has reached writeSSE by now, and any provider request it made has had time to run.
    await wait(800);
    await Promise.all(provider.requests.map((upstream) => upstream.closed));
    const ranForNobody = provider.requests.filter((upstream) => !upstream.clientHungUp());
    expect(ranForNobody).toHaveLength(0);
    expect(writes).toBe(500);
    // Every one within writeSSE's own call, before it yields to anything: a bound no machine's load moves.
    expect(stoppedWithinCall).toEqual(Array.from({ length: 500 }, () => true));
    // Stopped as writeSSE was called: no provider request was even made.
    expect(provider.requests).toHaveLength(0);
  });
});

describe('a hung producer behind keep-alives', () => {
  /** A provider that sends ten tokens and then nothing, holding the connection open. */
  async function silentAfterTen() {
    return serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, providerEvents('openai', { text: answer }).slice(0, 11), 2, () => {});
    });
  }

  it('the relay ends the reply with a typed timeout when its source stalls, while its keep-alives flow', async () => {
    const provider = await silentAfterTen();
    const relayServer = await serve((_request, response) => {
      void writeSSE(
        response,
        (signal) =>
          relay(streamText({ url: provider.url, body: {}, provider: 'openai', signal }), { stallTimeoutMs: 300 }),
        { heartbeatMs: 40 },
      );
    });
    const raw = await fetch(relayServer.url, { method: 'POST', body: '{}' });
    let keepAlives = 0;
    let lastToken = 0;
    const events = [];
    for await (const event of parseSSE(raw.body!, { onComment: () => void keepAlives++ })) {
      events.push(event);
      if (event.type === 'text-delta') lastToken = performance.now();
    }
    const silence = performance.now() - lastToken;
    expect(keepAlives).toBeGreaterThan(2);
    // Not before the bound, and soon after it: a margin for a loaded machine, not a hang.
    expect(silence).toBeGreaterThanOrEqual(300 - 20);
    expect(silence).toBeLessThan(300 + 1500);
    expect(events.at(-1)).toMatchObject({ type: 'error' });
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ kind: 'timeout', retryable: true });

    const error = await streamText({ url: relayServer.url, body: {}, retry: false })
      .result()
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({
      kind: 'timeout',
      relayed: true,
      partial: { text: tokenize(answer).slice(0, 10).join('') },
    });
    await provider.requests[1]!.closed;
    expect(provider.requests[1]!.clientHungUp()).toBe(true);
  });

  it('the client notices a model that stalls after its first token, though the keep-alives reset idleTimeoutMs', async () => {
    const provider = await silentAfterTen();
    // A relay with no bound of its own: only the client can notice.
    const relayServer = await serve((_request, response) => {
      void writeSSE(
        response,
        (signal) => relay(streamText({ url: provider.url, body: {}, provider: 'openai', signal })),
        {
          heartbeatMs: 40,
        },
      );
    });
    const error = await streamText({
      url: relayServer.url,
      body: {},
      retry: false,
      idleTimeoutMs: 300,
      contentTimeoutMs: 300,
    })
      .result()
      .catch((reason: unknown) => reason);
    expect(error).toMatchObject({
      kind: 'timeout',
      relayed: false,
      message: 'No content arrived for 300 ms: the model stalled.',
      partial: { text: tokenize(answer).slice(0, 10).join('') },
    });
  });
});

describe('a server’s retry: field', () => {
  it(
    'is obeyed only up to the policy’s longest wait: retry: 2147483647 then a drop settles',
    { timeout: 10_000 },
    async () => {
      const blocks = providerEvents('sluice', { text: answer, ids: true });
      const server = await serve((incoming, response) => {
        beginEventStream(response);
        if (incoming.headers['last-event-id'] === undefined) {
          response.write('retry: 2147483647\n\n');
          writeSlowly(response, blocks.slice(0, 8), 2, () => response.socket?.destroy());
          return;
        }
        const after = Number(String(incoming.headers['last-event-id']).split(':')[1]);
        response.end(blocks.slice(after + 1).join(''));
      });
      let dropped = 0;
      const stream = streamText({
        url: server.url,
        body: {},
        retry: { attempts: 3, baseDelayMs: 10, maxDelayMs: 200 },
      });
      // The last token before the drop: the wait is measured from there.
      stream.on('text', () => void (dropped = performance.now()));
      const result = await stream.result();
      expect(result.text).toBe(answer);
      expect(result.metrics.attempts).toBe(2);
      // maxDelayMs and one loopback attempt, with a margin for a loaded machine: not 24.8 days.
      expect(performance.now() - dropped).toBeLessThan(200 + 1500);
    },
  );

  it('does not stop the stream’s timeouts: a wait longer than idleTimeoutMs ends in a timeout, not a resumption', async () => {
    const blocks = providerEvents('sluice', { text: answer, ids: true });
    const server = await serve((_incoming, response) => {
      beginEventStream(response);
      response.write('retry: 3000\n\n');
      writeSlowly(response, blocks.slice(0, 8), 2, () => response.socket?.destroy());
    });
    const stream = streamText({ url: server.url, body: {}, idleTimeoutMs: 200 });
    let lastBytes = 0;
    stream.on('text', () => void (lastBytes = performance.now()));
    const error = await stream.result().catch((reason: unknown) => reason);
    expect(error).toMatchObject({
      kind: 'timeout',
      message: 'No data arrived for 200 ms: the stream stalled.',
      partial: { text: tokenize(answer).slice(0, 6).join(''), metrics: { attempts: 1 } },
    });
    expect(performance.now() - lastBytes).toBeLessThan(3000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('a Web handler whose client left before toSSEResponse is called', () => {
  it('never starts its source, and asks the provider nothing', async () => {
    const provider = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, providerEvents('openai', { text: answer }), 10);
    });
    let started = 0;
    let stoppedBeforeStart = 0;
    const arrived = new Set<() => void>();
    const origin = await serveWeb(async (incoming) => {
      for (const notify of arrived) notify();
      // Reading a session first; the client leaves meanwhile.
      await wait(200);
      return toSSEResponse(
        (signal) => {
          if (signal.aborted) stoppedBeforeStart++;
          started++;
          return relay(streamText({ url: provider.url, body: {}, provider: 'openai', signal }));
        },
        { signal: incoming.signal },
      );
    });
    const leave = new AbortController();
    arrived.add(() => setTimeout(() => leave.abort(), 50));
    await fetch(origin, { method: 'POST', body: '{}', signal: leave.signal }).catch(() => undefined);
    await wait(400);
    expect(started).toBe(1);
    expect(stoppedBeforeStart).toBe(1);
    expect(provider.requests).toHaveLength(0);
  });
});
