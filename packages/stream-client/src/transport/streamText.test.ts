import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { StreamPart } from '../providers/StreamPart.js';
import { mockResponse } from '../testing/mockResponse.js';
import { streamBlocks } from '../testing/streamBlocks.js';
import { providerEvents } from '../testing/providerEvents.js';
import { relay } from '../server/relay.js';
import { streamText } from './streamText.js';
import { StreamError } from './StreamError.js';

const eventStreamHeaders = { 'content-type': 'text/event-stream' };

/** A fetch double that answers each call with the next response, and records the requests. */
function fetchReturning(...responses: Array<Response | (() => Response | Promise<Response>)>) {
  const requests: Request[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    requests.push(new Request(input, init));
    const next = responses[Math.min(requests.length - 1, responses.length - 1)]!;
    return typeof next === 'function' ? next() : next.clone();
  });
  return { fetch, requests };
}

async function failure(promise: Promise<unknown>): Promise<StreamError> {
  const error: unknown = await promise.then(
    () => new Error('expected the stream to fail'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StreamError);
  return error as StreamError;
}

afterEach(() => {
  vi.useRealTimers();
});

// The reader of refused responses loads on first use: here before any test moves a fake clock.
beforeAll(() => import('./refusedResponse.js'));

describe('streamText', () => {
  it('streams text into the result, with usage, finish reason, metrics and cost', async () => {
    const { fetch, requests } = fetchReturning(mockResponse('Hello there, world.', { provider: 'anthropic' }));
    const stream = streamText({
      url: 'https://api.example/v1/messages',
      body: { messages: [{ role: 'user', content: 'Hi' }] },
      provider: 'anthropic',
      fetch,
      pricing: { inputPerMillion: 3, outputPerMillion: 15 },
    });
    const result = await stream.result();
    expect(result).toMatchObject({
      text: 'Hello there, world.',
      finishReason: 'stop',
      rawFinishReason: 'end_turn',
      usage: { inputTokens: 12, outputTokens: 3 },
      model: 'claude-mock',
      toolCalls: [],
    });
    expect(result.cost?.total).toBeCloseTo((12 * 3 + 3 * 15) / 1_000_000, 12);
    expect(result.metrics).toMatchObject({ attempts: 1, chunks: expect.any(Number), bytes: expect.any(Number) });
    expect(result.metrics.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(stream.text).toBe('Hello there, world.');
    const request = requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.headers.get('content-type')).toBe('application/json');
    expect(request.headers.get('accept')).toBe('text/event-stream');
    expect(await request.json()).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
  });

  it('hands every part to each iterator from the start, however late it begins', async () => {
    const { fetch } = fetchReturning(mockResponse(['a', 'b', 'c'], { provider: 'openai' }));
    const stream = streamText({ url: 'http://x/', fetch });
    await stream.result();
    const texts: string[] = [];
    for await (const part of stream) if (part.type === 'text-delta') texts.push(part.text);
    expect(texts).toEqual(['a', 'b', 'c']);
  });

  it('still hands every part to an iterator of its own that began before relay read the stream', async () => {
    const { fetch } = fetchReturning(mockResponse(['a', 'b', 'c'], { provider: 'openai', delayMs: 1 }));
    const stream = streamText({ url: 'http://x/', fetch });
    const mine = stream[Symbol.asyncIterator]();
    const relayed: string[] = [];
    for await (const event of relay(stream)) if (event.type === 'text-delta') relayed.push(event.data);
    const texts: string[] = [];
    for (let step = await mine.next(); step.done !== true; step = await mine.next()) {
      if (step.value.type === 'text-delta') texts.push(step.value.text);
    }
    expect(relayed).toEqual(['{"text":"a"}', '{"text":"b"}', '{"text":"c"}']);
    expect(texts).toEqual(['a', 'b', 'c']);
  });

  it('refuses an iterator begun after relay read the stream, rather than give it the parts left', async () => {
    const { fetch } = fetchReturning(mockResponse(['a', 'b', 'c'], { provider: 'openai', delayMs: 1 }));
    const stream = streamText({ url: 'http://x/', fetch });
    let relayed = 0;
    for await (const event of relay(stream)) if (event.type === 'text-delta') relayed++;
    expect(relayed).toBe(3);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(
      new TypeError('relay has read this stream: use on() or result() beside it.'),
    );
    // What the stream still holds for everyone else is whole.
    expect((await stream.result()).text).toBe('abc');
  });

  it('tells text listeners each delta with the text so far, and part and finish listeners everything', async () => {
    const { fetch } = fetchReturning(mockResponse(['one', ' two'], { provider: 'openai-responses', delayMs: 1 }));
    const stream = streamText({ url: 'http://x/', fetch });
    const deltas: Array<[string, string]> = [];
    const types: string[] = [];
    const finished = vi.fn<(...values: unknown[]) => void>();
    stream.on('text', (delta, text) => deltas.push([delta, text]));
    stream.on('part', (part) => types.push(part.type));
    stream.on('finish', finished);
    const result = await stream.result();
    expect(deltas).toEqual([
      ['one', 'one'],
      [' two', 'one two'],
    ]);
    expect(types).toEqual(['start', 'text-delta', 'text-delta', 'usage', 'finish']);
    expect(finished).toHaveBeenCalledExactlyOnceWith(result);
  });

  it('stops telling a listener once it unsubscribes', async () => {
    const { fetch } = fetchReturning(mockResponse(['a', 'b'], { delayMs: 1 }));
    const stream = streamText({ url: 'http://x/', fetch });
    const seen: string[] = [];
    const stop = stream.on('text', (delta) => {
      seen.push(delta);
      stop();
    });
    await stream.result();
    expect(seen).toEqual(['a']);
  });

  it('collects tool calls and all choices', async () => {
    const { fetch } = fetchReturning(
      mockResponse('Let me check.', {
        provider: 'openai',
        toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { q: 'x' } }],
      }),
    );
    const result = await streamText({ url: 'http://x/', fetch }).result();
    expect(result.toolCalls).toEqual([
      { id: 'call_1', name: 'lookup', arguments: { q: 'x' }, argumentsText: '{"q":"x"}', choice: 0 },
    ]);
    expect(result.finishReason).toBe('tool-calls');
    expect(result.choices).toEqual([
      { text: 'Let me check.', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
    ]);
  });

  it('counts deltas for tokens per second when the provider sends no usage', async () => {
    const blocks = ['a', 'b', 'c', 'd'].map(
      (content) => `data: {"choices":[{"index":0,"delta":{"content":"${content}"}}]}\n\n`,
    );
    blocks.push('data: [DONE]\n\n');
    const { fetch } = fetchReturning(() => new Response(streamBlocks(blocks, 5), { headers: eventStreamHeaders }));
    const result = await streamText({ url: 'http://x/', fetch, provider: 'openai' }).result();
    expect(result.usage).toBeUndefined();
    expect(result.cost).toBeUndefined();
    // Four deltas over the time between the first and the last: never zero, never infinite.
    expect(result.metrics.tokensPerSecond).toBeGreaterThan(0);
    expect(Number.isFinite(result.metrics.tokensPerSecond)).toBe(true);
    expect(result.metrics.longestGapMs).toBeGreaterThan(0);
  });

  it('fails with kind protocol, naming the offending data and keeping the partial text, on malformed JSON', async () => {
    const blocks = [
      'data: {"choices":[{"index":0,"delta":{"content":"kept"}}]}\n\n',
      'data: {"choices":[{"index":0,"delta":{"content":\n\n',
    ];
    const { fetch } = fetchReturning(() => new Response(streamBlocks(blocks, 0), { headers: eventStreamHeaders }));
    const error = await failure(streamText({ url: 'http://x/', fetch, provider: 'openai' }).result());
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('{"choices":[{"index":0,"delta":{"content":');
    expect(error.partial.text).toBe('kept');
    expect(error.retryable).toBe(false);
  });

  it('rejects iteration with the error after the parts that came before it', async () => {
    const blocks = providerEvents('openai', { text: 'cut short here' }).slice(0, 3);
    const { fetch } = fetchReturning(() => new Response(streamBlocks(blocks, 0), { headers: eventStreamHeaders }));
    const stream = streamText({ url: 'http://x/', fetch, retry: false });
    const parts: StreamPart[] = [];
    await expect(
      (async () => {
        for await (const part of stream) parts.push(part);
      })(),
    ).rejects.toMatchObject({ kind: 'truncated' });
    expect(parts.filter((part) => part.type === 'text-delta')).toHaveLength(2);
  });

  it('aborts through its signal: the fetch is aborted, result rejects with kind aborted, and no listener fires after', async () => {
    const controller = new AbortController();
    let fetchSignal: AbortSignal | undefined;
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
      fetchSignal = init?.signal ?? undefined;
      return new Response(
        streamBlocks(providerEvents('openai', { text: 'one two three four five' }), 20, fetchSignal),
        {
          headers: eventStreamHeaders,
        },
      );
    });
    const stream = streamText({ url: 'http://x/', fetch, signal: controller.signal });
    const afterAbort = vi.fn<(...values: unknown[]) => void>();
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    controller.abort();
    stream.on('text', afterAbort);
    stream.on('error', afterAbort);
    stream.on('finish', afterAbort);
    const error = await failure(stream.result());
    expect(error.kind).toBe('aborted');
    expect(error.partial.text).toBe('one');
    expect(fetchSignal?.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(afterAbort).not.toHaveBeenCalled();
  });

  it('is aborted before it starts when its signal already is', async () => {
    const { fetch } = fetchReturning(mockResponse('never'));
    const error = await failure(streamText({ url: 'http://x/', fetch, signal: AbortSignal.abort() }).result());
    expect(error.kind).toBe('aborted');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('waits as long as Retry-After asks before trying again', async () => {
    vi.useFakeTimers();
    const { fetch } = fetchReturning(
      new Response('{"error":{"message":"Rate limited","type":"rate_limit_error"}}', {
        status: 429,
        headers: { 'retry-after': '2' },
      }),
      mockResponse('ok'),
    );
    const result = streamText({ url: 'http://x/', fetch }).result();
    await vi.advanceTimersByTimeAsync(1999);
    expect(fetch).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetch).toHaveBeenCalledTimes(2);
    await expect(result).resolves.toMatchObject({ text: 'ok', metrics: { attempts: 2 } });
  });

  it('backs off exponentially, within the ceiling, and gives up after the attempts allowed', async () => {
    vi.useFakeTimers();
    const { fetch } = fetchReturning(new Response('busy', { status: 503 }));
    const result = streamText({
      url: 'http://x/',
      fetch,
      retry: { attempts: 3, baseDelayMs: 1000, maxDelayMs: 1500 },
    }).result();
    result.catch(() => {});
    await vi.advanceTimersByTimeAsync(0);
    expect(fetch).toHaveBeenCalledTimes(1);
    // The first wait is between half and all of 1000 ms; the second is capped at 1500 ms.
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetch).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1500);
    expect(fetch).toHaveBeenCalledTimes(3);
    const error = await failure(result);
    expect(error).toMatchObject({ kind: 'http', status: 503, retryable: true, message: 'HTTP 503: busy' });
    expect(error.partial.metrics.attempts).toBe(3);
  });

  it('fails at once, with the server’s own word, rather than wait longer than maxDelayMs', async () => {
    const { fetch } = fetchReturning(new Response('slow down', { status: 429, headers: { 'retry-after': '120' } }));
    const error = await failure(streamText({ url: 'http://x/', fetch }).result());
    expect(error).toMatchObject({ kind: 'http', status: 429, retryAfterMs: 120_000 });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('validates its options with clear errors', () => {
    expect(() => streamText({} as never)).toThrow(/needs options with a url/);
    expect(() => streamText({ url: 'http://x/', provider: 'gemini' as never })).toThrow(/Unknown provider "gemini"/);
    expect(() => streamText({ url: 'http://x/', retry: { attempts: 0 } })).toThrow(RangeError);
  });
});

describe('streamText and what a Sluice server reports', () => {
  const relayed = (fields: object) =>
    new Response(
      `event: sluice\ndata: {"version":1,"streamId":"r1"}\n\nevent: text-delta\ndata: {"text":"Half an"}\n\nevent: error\ndata: ${JSON.stringify(fields)}\n\n`,
      { headers: eventStreamHeaders },
    );

  it('keeps the kind, status and type of a relayed failure, prefixes its message once, and does not retry it', async () => {
    const { fetch, requests } = fetchReturning(
      relayed({
        message: 'The provider reported an error: Overloaded',
        kind: 'provider',
        errorType: 'overloaded_error',
        retryable: true,
      }),
    );
    const error = await failure(streamText({ url: 'https://app.test/api/chat', fetch }).result());
    expect(error).toMatchObject({
      kind: 'provider',
      retryable: true,
      relayed: true,
      providerErrorType: 'overloaded_error',
      message: 'The provider reported an error: Overloaded',
      partial: { text: 'Half an', streamId: 'r1' },
    });
    expect(requests).toHaveLength(1);
  });

  it('does not retry a relayed failure even before the first token: the server owns those retries', async () => {
    const { fetch, requests } = fetchReturning(
      new Response(
        'event: sluice\ndata: {"version":1,"streamId":"r1"}\n\nevent: error\ndata: {"message":"HTTP 503 Service Unavailable","kind":"http","status":503,"retryable":true,"retryAfterMs":2000}\n\n',
        { headers: eventStreamHeaders },
      ),
    );
    const error = await failure(streamText({ url: 'https://app.test/api/chat', fetch }).result());
    expect(error).toMatchObject({ kind: 'http', status: 503, retryAfterMs: 2000, relayed: true, retryable: true });
    expect(requests).toHaveLength(1);
  });

  it('fails at once, with the provider to use, when the stream is in another format than asked', async () => {
    const { fetch, requests } = fetchReturning(mockResponse('An answer.', { provider: 'sluice' }));
    const error = await failure(streamText({ url: 'https://app.test/api/chat', provider: 'openai', fetch }).result());
    expect(error).toMatchObject({ kind: 'protocol', retryable: false });
    expect(error.message).toBe(
      "The stream is in the sluice format, not OpenAI Chat Completions: use provider 'sluice' or 'auto'.",
    );
    expect(requests).toHaveLength(1);
  });
});

describe('streamText and error bodies', () => {
  it('describes an HTML error page by its title, never its markup', async () => {
    const page =
      '<!DOCTYPE html><html><head><title>413 Request Entity Too Large</title></head><body><pre>PayloadTooLargeError: request entity too large<br> &nbsp;at readStream (/srv/app/node_modules/raw-body/index.js:163:17)</pre></body></html>';
    const { fetch } = fetchReturning(new Response(page, { status: 413, headers: { 'content-type': 'text/html' } }));
    const error = await failure(streamText({ url: 'https://app.test/api/chat', fetch }).result());
    expect(error.message).toBe('HTTP 413: an HTML page titled "413 Request Entity Too Large"');
    expect(error.message).not.toMatch(/node_modules|<|PayloadTooLargeError/);
  });

  it('reads a JSON error defensively: fields of the wrong type are ignored, and an explicit retryable wins', async () => {
    const { fetch, requests } = fetchReturning(
      Response.json({ error: { message: { toString: 1 }, type: ['x'], code: 7, retryable: false } }, { status: 500 }),
    );
    const error = await failure(streamText({ url: 'https://app.test/api/chat', fetch }).result());
    expect(error).toMatchObject({ kind: 'http', status: 500, retryable: false, providerErrorType: '7' });
    // A server that says retrying cannot help (a missing API key) is asked only once.
    expect(requests).toHaveLength(1);
  });
});

describe('cost', () => {
  it('is exact to the cent’s billionth, without binary fractions showing', async () => {
    const { fetch } = fetchReturning(mockResponse('Hi', { usage: { inputTokens: 12, outputTokens: 7 } }));
    const { cost } = await streamText({
      url: 'https://api.example/v1',
      fetch,
      pricing: { inputPerMillion: 2.5, outputPerMillion: 10 },
    }).result();
    // 0.00003 + 0.00007 is 0.00009999999999999999 in binary floating point.
    expect(cost).toEqual({ input: 0.00003, output: 0.00007, total: 0.0001 });
  });
});

describe('stop()', () => {
  const slowSluice = (ids: boolean) => () =>
    new Response(
      streamBlocks(providerEvents('sluice', { text: 'one two three four five six', ids, streamId: 'r7' }), 30),
      {
        headers: eventStreamHeaders,
      },
    );

  it('tells a server that keeps the reply to stop it, with the caller’s own headers', async () => {
    const { fetch, requests } = fetchReturning(slowSluice(true), () => new Response(null, { status: 204 }));
    const stream = streamText({
      url: 'https://app.test/api/chat',
      headers: { authorization: 'Bearer user' },
      body: {},
      fetch,
    });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.stop();
    await expect(stream.result()).rejects.toMatchObject({ kind: 'aborted' });
    expect(requests).toHaveLength(2);
    expect(requests[1]!.method).toBe('POST');
    expect(requests[1]!.headers.get('sluice-stop')).toBe('r7');
    expect(requests[1]!.headers.get('authorization')).toBe('Bearer user');
  });

  it('sends nothing more for a reply the server does not keep: closing the connection stops it', async () => {
    const { fetch, requests } = fetchReturning(slowSluice(false));
    const stream = streamText({ url: 'https://app.test/api/chat', body: {}, fetch });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.stop();
    await expect(stream.result()).rejects.toMatchObject({ kind: 'aborted' });
    expect(requests).toHaveLength(1);
  });

  it('abort() only closes the connection, so a kept reply can still be resumed', async () => {
    const { fetch, requests } = fetchReturning(slowSluice(true));
    const stream = streamText({ url: 'https://app.test/api/chat', body: {}, fetch });
    await new Promise<void>((resolve) => stream.on('text', () => resolve()));
    stream.abort();
    await expect(stream.result()).rejects.toMatchObject({ kind: 'aborted' });
    expect(requests).toHaveLength(1);
  });

  it('stops a kept reply the client gives up on, so the server does not generate it for nobody', async () => {
    const blocks = providerEvents('sluice', { text: 'one two three', ids: true, streamId: 'r8' });
    const { fetch, requests } = fetchReturning(
      () =>
        new Response([...blocks.slice(0, 3), 'id: r8:3\nevent: text-delta\ndata: {"text":\n\n'].join(''), {
          headers: eventStreamHeaders,
        }),
      () => new Response(null, { status: 204 }),
    );
    const error = await failure(streamText({ url: 'https://app.test/api/chat', body: {}, fetch }).result());
    expect(error.kind).toBe('protocol');
    await expect.poll(() => requests.length).toBe(2);
    expect(requests[1]!.headers.get('sluice-stop')).toBe('r8');
  });
});

describe('reasoning as activity', () => {
  it('does not time a reasoning model out while it thinks in delta.reasoning before its first word', async () => {
    vi.useFakeTimers();
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const blocks = [
      chunk({ reasoning: 'Thinking, ' }),
      chunk({ reasoning: 'still thinking, ' }),
      chunk({ reasoning: 'nearly there.' }),
      chunk({ content: 'Answer.' }, 'stop'),
      'data: [DONE]\n\n',
    ];
    const { fetch } = fetchReturning(() => new Response(streamBlocks(blocks, 400), { headers: eventStreamHeaders }));
    const result = streamText({ url: 'http://x/', provider: 'openai', firstTokenTimeoutMs: 1000, fetch }).result();
    await vi.advanceTimersByTimeAsync(2500);
    await expect(result).resolves.toMatchObject({
      text: 'Answer.',
      reasoning: 'Thinking, still thinking, nearly there.',
    });
  });
});
