/*
 * Every fault streamText must survive, produced by a real HTTP server on loopback: what each one
 * yields, and that no token is ever lost or repeated.
 */
import { describe, expect, it, vi } from 'vitest';
import { StreamError, streamText } from '@sluice/stream-client';
import type { StreamTextOptions } from '@sluice/stream-client';
import { providerEvents, tokenize } from '@sluice/stream-client/testing';
import { beginEventStream, serve, wait, writeSlowly } from './support/loopbackServer.js';

const answer = 'Streams arrive token by token, and every token counts exactly once.';
const quick = { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 };

async function failure(options: StreamTextOptions): Promise<StreamError> {
  const error: unknown = await streamText(options)
    .result()
    .then(
      () => new Error('expected the stream to fail'),
      (reason: unknown) => reason,
    );
  expect(error).toBeInstanceOf(StreamError);
  return error as StreamError;
}

/** The text that the first `count` text-delta events of a script carry. */
function firstTokens(count: number): string {
  return tokenize(answer).slice(0, count).join('');
}

describe('before the first token', () => {
  it('retries a connection that fails, and the answer arrives once', async () => {
    const server = await serve((_request, response, index) => {
      if (index === 0) {
        response.socket?.destroy();
        return;
      }
      beginEventStream(response);
      response.end(providerEvents('openai', { text: answer }).join(''));
    });
    const result = await streamText({ url: server.url, body: { q: 1 }, retry: quick }).result();
    expect(result.text).toBe(answer);
    expect(result.metrics.attempts).toBe(2);
    expect(server.requests.map((request) => request.body)).toEqual(['{"q":1}', '{"q":1}']);
  });

  it.each([408, 409, 425, 429, 500, 502, 503, 504, 529])('retries HTTP %i', async (status) => {
    const server = await serve((_request, response, index) => {
      if (index === 0) {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end('{"error":{"message":"try later"}}');
        return;
      }
      beginEventStream(response);
      response.end(providerEvents('anthropic', { text: answer }).join(''));
    });
    const result = await streamText({ url: server.url, body: {}, retry: quick }).result();
    expect(result.text).toBe(answer);
    expect(server.requests).toHaveLength(2);
  });

  it('waits at least as long as retry-after-ms asks', async () => {
    const arrivals: number[] = [];
    const server = await serve((_request, response, index) => {
      arrivals.push(performance.now());
      if (index === 0) {
        response.writeHead(429, { 'retry-after-ms': '120' });
        response.end();
        return;
      }
      beginEventStream(response);
      response.end(providerEvents('openai', { text: 'ok' }).join(''));
    });
    await streamText({ url: server.url, retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1000 } }).result();
    expect(server.requests).toHaveLength(2);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(115);
  });

  it('gives up after the attempts allowed, with the last status', async () => {
    const server = await serve((_request, response) => {
      response.writeHead(503);
      response.end('unavailable');
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true });
    expect(error.partial.metrics.attempts).toBe(3);
    expect(server.requests).toHaveLength(3);
  });

  it.each([
    [
      400,
      '{"error":{"message":"messages: field required","type":"invalid_request_error"}}',
      'messages: field required',
    ],
    [
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
      'invalid x-api-key',
    ],
    [404, 'Not Found', 'Not Found'],
  ])('fails at once on HTTP %i, with the provider’s message', async (status, body, message) => {
    const server = await serve((_request, response) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(body);
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error).toMatchObject({ kind: 'http', status, retryable: false });
    expect(error.message).toContain(message);
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['text/html', '<!doctype html><title>Sign in</title><h1>Sign in to continue</h1>'],
    ['application/json', '{"error":"quota"}'],
  ])('fails at once with kind protocol when a 200 is %s, not an event stream', async (type, body) => {
    const server = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': type });
      response.end(body);
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error).toMatchObject({ kind: 'protocol', retryable: false });
    expect(error.message).toContain(type);
    expect(server.requests).toHaveLength(1);
  });
});

describe('after tokens have arrived', () => {
  it('resumes with Last-Event-ID (same method, URL and body) and neither loses nor repeats a token', async () => {
    const blocks = providerEvents('openai', { text: answer, ids: true });
    const server = await serve((request, response, index) => {
      beginEventStream(response);
      if (index === 0) {
        // Half the stream, then the connection drops.
        response.write('retry: 20\n\n');
        writeSlowly(response, blocks.slice(0, 6), 2, () => response.socket?.destroy());
        return;
      }
      const resumeAfter = Number(request.headers['last-event-id']);
      response.end(blocks.slice(resumeAfter + 1).join(''));
    });
    const deltas: string[] = [];
    const stream = streamText({ url: server.url, method: 'PUT', body: { prompt: 'p' }, retry: quick });
    stream.on('text', (delta) => deltas.push(delta));
    const result = await stream.result();
    expect(result.text).toBe(answer);
    expect(deltas.join('')).toBe(answer);
    expect(result.metrics.attempts).toBe(2);
    const [first, second] = server.requests;
    expect(first!.headers['last-event-id']).toBeUndefined();
    expect(second!.headers['last-event-id']).toBe('5');
    expect(second!.method).toBe('PUT');
    expect(second!.body).toBe(first!.body);
  });

  it('drops events a relay replays twice on resumption, so nothing repeats', async () => {
    const blocks = providerEvents('sluice', { text: answer, ids: true });
    const server = await serve((_request, response, index) => {
      beginEventStream(response);
      if (index === 0) {
        writeSlowly(response, blocks.slice(0, 5), 2, () => response.socket?.destroy());
        return;
      }
      // A careless server that replays everything from the start.
      response.end(blocks.join(''));
    });
    const result = await streamText({ url: server.url, provider: 'sluice', retry: quick }).result();
    expect(result.text).toBe(answer);
  });

  it('fails with kind network and the partial text when the stream carried no ids, and never starts over', async () => {
    const blocks = providerEvents('openai', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, blocks.slice(0, 4), 2, () => response.socket?.destroy());
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error).toMatchObject({ kind: 'network', retryable: true });
    expect(error.partial.text).toBe(firstTokens(3));
    expect(server.requests).toHaveLength(1);
  });

  it('does not carry an event id over from a failed attempt into a fresh request', async () => {
    const blocks = providerEvents('anthropic', { text: answer });
    const server = await serve((_request, response, index) => {
      beginEventStream(response);
      if (index === 0) {
        // An id and a ping but no token, then the provider is overloaded: the retry starts afresh.
        response.end(
          'id: 5\nevent: ping\ndata: {"type":"ping"}\n\n' +
            'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
        );
        return;
      }
      writeSlowly(response, blocks, 2);
    });
    const result = await streamText({ url: server.url, retry: quick }).result();
    expect(result.text).toBe(answer);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['last-event-id']).toBeUndefined();
  });

  it('resumes a stream with ids that drops before its first token, rather than ask for a second answer', async () => {
    const blocks = providerEvents('sluice', { text: answer, ids: true });
    const server = await serve((request, response) => {
      beginEventStream(response);
      const resumeFrom = request.headers['last-event-id'];
      if (resumeFrom === undefined) {
        // The header and the start arrive, then the connection drops while the model thinks.
        writeSlowly(response, blocks.slice(0, 2), 2, () => response.socket?.destroy());
        return;
      }
      const after = Number(String(resumeFrom).split(':')[1]);
      writeSlowly(response, blocks.slice(after + 1), 2);
    });
    const result = await streamText({ url: server.url, retry: quick }).result();
    expect(result.text).toBe(answer);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers['last-event-id']).toBe('mock-stream:1');
  });

  it('fails with kind provider, its message and type, when the provider reports an error mid-stream', async () => {
    const blocks = providerEvents('anthropic', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      const overloaded =
        'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n';
      writeSlowly(response, [...blocks.slice(0, 6), overloaded], 2);
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error).toMatchObject({ kind: 'provider', retryable: true, providerErrorType: 'overloaded_error' });
    expect(error.message).toContain('Overloaded');
    // message_start, content_block_start and a ping come before the first of the three text deltas.
    expect(error.partial.text).toBe(firstTokens(3));
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['openai', 'finish_reason or [DONE]'],
    ['anthropic', 'message_stop'],
    ['openai-responses', 'response.completed'],
  ] as const)(
    'reports a %s stream that closes cleanly without its terminal signal as truncated',
    async (provider, signal) => {
      const blocks = providerEvents(provider, { text: answer });
      const server = await serve((_request, response) => {
        beginEventStream(response);
        response.end(blocks.slice(0, -3).join(''));
      });
      const error = await failure({ url: server.url, provider, retry: quick });
      expect(error.kind).toBe('truncated');
      expect(error.message).toContain(signal);
      expect(error.partial.text.length).toBeGreaterThan(0);
      expect(error.partial.finishReason).toBeUndefined();
      expect(server.requests).toHaveLength(1);
    },
  );

  it('fails with kind protocol naming the malformed data, keeping the partial text', async () => {
    const blocks = providerEvents('openai', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, [...blocks.slice(0, 3), 'data: {"choices": [{"delta": {"content": "x"\n\n'], 2);
    });
    const error = await failure({ url: server.url, retry: quick });
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('{"choices": [{"delta": {"content": "x"');
    expect(error.partial.text).toBe(firstTokens(2));
  });
});

describe('timeouts', () => {
  it('aborts a stream that stalls past idleTimeoutMs: kind timeout, partial kept, connection closed', async () => {
    const blocks = providerEvents('openai', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, blocks.slice(0, 4), 2, () => {
        /* then nothing, forever */
      });
    });
    const error = await failure({ url: server.url, idleTimeoutMs: 150, retry: quick });
    expect(error).toMatchObject({ kind: 'timeout', retryable: true });
    expect(error.partial.text).toBe(firstTokens(3));
    await server.requests[0]!.closed;
    expect(server.requests[0]!.clientHungUp()).toBe(true);
  });

  it('lets a slow stream run past idleTimeoutMs in total, as long as no single wait exceeds it', async () => {
    const blocks = providerEvents('openai', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      writeSlowly(response, blocks, 25);
    });
    // About 20 blocks 25 ms apart: half a second in all, with a 150 ms idle limit.
    const result = await streamText({ url: server.url, idleTimeoutMs: 150 }).result();
    expect(result.text).toBe(answer);
    expect(result.metrics.durationMs).toBeGreaterThan(150);
  });

  it('does not count pings and keep-alive comments as the first token', async () => {
    const server = await serve((_request, response) => {
      beginEventStream(response);
      const timer = setInterval(() => response.write(': keep-alive\n\nevent: ping\ndata: {"type":"ping"}\n\n'), 20);
      response.on('close', () => clearInterval(timer));
    });
    const error = await failure({
      url: server.url,
      provider: 'anthropic',
      firstTokenTimeoutMs: 200,
      idleTimeoutMs: 1000,
      retry: false,
    });
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('No token arrived within 200 ms');
    await server.requests[0]!.closed;
    expect(server.requests[0]!.clientHungUp()).toBe(true);
  });
});

describe('abort', () => {
  it('closes the connection at once, rejects with kind aborted and the partial, and calls no listener after', async () => {
    const blocks = providerEvents('openai', { text: answer });
    const server = await serve((_request, response) => {
      beginEventStream(response);
      // The first token, then silence: only an abort of the connection itself can end this.
      response.write(blocks.slice(0, 2).join(''));
    });
    const stream = streamText({ url: server.url });
    const listener = vi.fn<(...values: unknown[]) => void>();
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.abort();
    stream.on('text', listener);
    stream.on('part', listener);
    stream.on('error', listener);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.clientHungUp()).toBe(true);
    const error = await stream.result().catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toMatchObject({ kind: 'aborted', partial: { text: firstTokens(1) } });
    await wait(100);
    expect(listener).not.toHaveBeenCalled();
  });
});

describe('stop', () => {
  it('before the server has named the reply: settles at once, then tells the server which reply to stop', async () => {
    const stops: string[] = [];
    const server = await serve((request, response) => {
      const stop = request.headers['sluice-stop'];
      if (stop !== undefined) {
        stops.push(String(stop));
        response.writeHead(204).end();
        return;
      }
      beginEventStream(response);
      // The server names the reply only after a while (it was checking a session first).
      setTimeout(() => {
        named = true;
        writeSlowly(response, providerEvents('sluice', { text: answer, ids: true, streamId: 'reply-7' }), 20);
      }, 300);
    });
    let named = false;
    const stream = streamText({ url: server.url, body: {} });
    await wait(50);
    stream.stop();
    const error = await stream.result().catch((reason: unknown) => reason);
    // The person is not kept waiting for the server: the stream was stopped before it named the reply.
    expect(named).toBe(false);
    expect(error).toMatchObject({ kind: 'aborted', partial: { text: '' } });
    await expect.poll(() => stops).toEqual(['reply-7']);
    await server.requests[0]!.closed;
    expect(server.requests[0]!.clientHungUp()).toBe(true);
  });
});
