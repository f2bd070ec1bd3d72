/*
 * The five kinds of hostile or broken input a fuzz run found, each as it was found: every one
 * ends in a typed StreamError, settles every reader, and holds nothing unbounded.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ProviderFormat } from '../providers/Decoder.js';
import type { StreamPart } from '../providers/StreamPart.js';
import { streamBlocks } from '../testing/streamBlocks.js';
import { streamText } from './streamText.js';
import { StreamError } from './StreamError.js';
import type { StreamTextOptions } from './streamText.js';
import type { StreamResult } from './StreamResult.js';

const eventStream = (text: string | ReadableStream<Uint8Array>, status = 200, contentType = 'text/event-stream') =>
  new Response(text, { status, headers: { 'content-type': contentType } });

/**
 * Runs a stream with every kind of reader at once (result, an iterator, the listeners) and
 * returns what each saw, failing the test if any is left waiting.
 */
async function readEveryWay(options: Partial<StreamTextOptions> & { fetch: typeof fetch }) {
  const stream = streamText({ url: 'http://hostile.test/', retry: false, ...options });
  const seen = { parts: [] as StreamPart[], finishes: 0, errors: [] as StreamError[], afterSettling: 0 };
  let settled = false;
  stream.on('part', (part) => {
    seen.parts.push(part);
    if (settled) seen.afterSettling++;
  });
  stream.on('finish', () => void seen.finishes++);
  stream.on('error', (error) => void seen.errors.push(error));
  const iterated = (async () => {
    const parts: StreamPart[] = [];
    try {
      for await (const part of stream) parts.push(part);
      return { parts };
    } catch (error) {
      return { parts, error };
    }
  })();
  const outcome: { result?: StreamResult; error?: unknown } = await stream.result().then(
    (result) => ({ result }),
    (error: unknown) => ({ error }),
  );
  settled = true;
  const iteration = await iterated;
  return { outcome, iteration, seen };
}

describe('hostile input', () => {
  it('settles every reader with a StreamError when something unforeseen throws (here a fetch that returns no Response)', async () => {
    const { outcome, iteration, seen } = await readEveryWay({
      fetch: (async () => ({ ok: false, status: 500 })) as unknown as typeof fetch,
    });
    expect(outcome.error).toBeInstanceOf(StreamError);
    expect(outcome.error).toMatchObject({ kind: 'protocol', cause: expect.any(TypeError) });
    expect(iteration.error).toBe(outcome.error);
    expect(seen.errors).toEqual([outcome.error]);
    expect(seen.finishes).toBe(0);
  });

  it('does not resume from an event id that cannot travel in a header, and keeps the text', async () => {
    const blocks = [
      'id: 日本\ndata: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Half "}}]}\n\n',
      'id: \uFFFD\ndata: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"an answer"}}]}\n\n',
    ];
    const fetch = vi.fn<typeof globalThis.fetch>(async () => eventStream(streamBlocks(blocks, 0, undefined, 'drop')));
    const { outcome } = await readEveryWay({ fetch, provider: 'openai', retry: { attempts: 3, baseDelayMs: 1 } });
    expect(outcome.error).toMatchObject({ kind: 'network', partial: { text: 'Half an answer' } });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it.each([400, 429, 503])('describes a %d whose error fields are not strings, never coercing them', async (status) => {
    const body = '{"error":{"message":{"toString":1},"type":{"valueOf":2},"code":["x"]}}';
    const { outcome } = await readEveryWay({ fetch: async () => new Response(body, { status }) });
    expect(outcome.error).toMatchObject({ kind: 'http', status, providerErrorType: undefined });
    expect((outcome.error as Error).message).toMatch(new RegExp(`^HTTP ${status}`));
  });

  /** Events that stream "Half" and then report an error whose fields are objects and arrays, never strings. */
  const errorMidStream: Array<[Exclude<ProviderFormat, 'sluice'>, string, string]> = [
    [
      'openai',
      'an {"error"} chunk',
      'data: {"choices":[{"index":0,"delta":{"content":"Half"}}]}\n\n' +
        'data: {"error":{"message":{"toString":1},"type":{"valueOf":2},"code":["x"]}}\n\n',
    ],
    [
      'anthropic',
      'an error event',
      'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half"}}\n\n' +
        'event: error\ndata: {"type":"error","error":{"type":{"valueOf":2},"message":{"toString":1}}}\n\n',
    ],
    [
      'openai-responses',
      'a nested error event',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Half"}\n\n' +
        'event: error\ndata: {"type":"error","error":{"message":{"toString":1},"type":{"valueOf":2},"code":["x"]}}\n\n',
    ],
    [
      'openai-responses',
      'an error event of the documented shape',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Half"}\n\n' +
        'event: error\ndata: {"type":"error","message":["x"],"code":{"toString":1}}\n\n',
    ],
    [
      'openai-responses',
      'response.failed',
      'event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Half"}\n\n' +
        'event: response.failed\ndata: {"type":"response.failed","response":{"error":{"message":{"toString":1},"code":[]}}}\n\n',
    ],
  ];

  it.each(errorMidStream)(
    '%s: %s whose fields are not strings fails with kind provider and a message that says so',
    async (format, _what, events) => {
      const { outcome, iteration, seen } = await readEveryWay({
        fetch: async () => eventStream(events),
        provider: format,
      });
      expect(outcome.error).toBeInstanceOf(StreamError);
      expect(outcome.error).toMatchObject({
        kind: 'provider',
        retryable: false,
        providerErrorType: undefined,
        partial: { text: 'Half' },
      });
      const { message } = outcome.error as StreamError;
      // Said once, never coerced ("[object Object]"), never the fallback twice over.
      expect(message).toMatch(/^The provider reported an error: \S/);
      expect(message.match(/reported an error/g)).toHaveLength(1);
      expect(message).not.toContain('[object');
      expect(iteration.error).toBe(outcome.error);
      expect(seen.errors).toEqual([outcome.error]);
    },
  );

  const finishWith: Record<Exclude<ProviderFormat, 'sluice'>, (reason: string) => string> = {
    openai: (reason) =>
      `data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":${JSON.stringify(reason)}}]}\n\ndata: [DONE]\n\n`,
    anthropic: (reason) =>
      `event: message_start\ndata: {"type":"message_start","message":{"id":"m"}}\n\nevent: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\nevent: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":${JSON.stringify(reason)}}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n`,
    'openai-responses': (reason) =>
      `event: response.output_text.delta\ndata: {"type":"response.output_text.delta","delta":"Hi"}\n\nevent: response.incomplete\ndata: {"type":"response.incomplete","response":{"incomplete_details":{"reason":${JSON.stringify(reason)}}}}\n\n`,
  };

  it.each(
    (['openai', 'anthropic', 'openai-responses'] as const).flatMap((format) =>
      ['constructor', 'toString', '__proto__', 'valueOf'].map((reason) => [format, reason] as const),
    ),
  )('%s: a finish reason named %s is "other", not a function', async (format, reason) => {
    const { outcome } = await readEveryWay({
      fetch: async () => eventStream(finishWith[format](reason)),
      provider: format,
    });
    expect(outcome).toMatchObject({ result: { text: 'Hi', finishReason: 'other', rawFinishReason: reason } });
  });

  it('maps a sluice finish reason outside the five to "other", and refuses a tool call that is not one', async () => {
    for (const reason of ['0', 'null', '[]', '{}', '"constructor"']) {
      const { outcome } = await readEveryWay({
        fetch: async () => eventStream(`event: finish\ndata: {"finishReason":${reason}}\n\n`),
        provider: 'sluice',
      });
      expect(outcome).toMatchObject({ result: { finishReason: 'other' } });
    }
    const { outcome } = await readEveryWay({
      fetch: async () =>
        eventStream('event: tool-call\ndata: {"toolCall":null}\n\nevent: finish\ndata: {"finishReason":"stop"}\n\n'),
      provider: 'sluice',
    });
    expect(outcome.error).toMatchObject({ kind: 'protocol' });
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });

  it('fails a 100-byte event that names choice 100000000, instead of allocating for it', async () => {
    const event = 'data: {"choices":[{"index":100000000,"delta":{"content":"x"}}]}\n\n';
    const { outcome } = await readEveryWay({ fetch: async () => eventStream(event), provider: 'openai' });
    expect(outcome.error).toMatchObject({ kind: 'protocol', retryable: false });
    expect((outcome.error as Error).message).toContain('past the limit of 128 choices');
  });

  it('fails 200,000 distinct choices in one event at the limit, without overflowing the stack', async () => {
    const choices = Array.from({ length: 200_000 }, (_, index) => ({ index, delta: { content: 'x' } }));
    const { outcome } = await readEveryWay({
      fetch: async () => eventStream(`data: ${JSON.stringify({ choices })}\n\n`),
      provider: 'openai',
    });
    expect(outcome.error).toMatchObject({ kind: 'protocol' });
    expect((outcome.error as StreamError).partial.choices.length).toBeLessThanOrEqual(128);
  });

  it('fails a stream past its limit of tool calls or parts, keeping what came before', async () => {
    const calls = Array.from(
      { length: 40 },
      (_, index) => `event: tool-call-start\ndata: {"id":"t${index}","name":"f"}\n\n`,
    ).join('');
    const { outcome } = await readEveryWay({
      fetch: async () => eventStream(calls),
      provider: 'sluice',
      limits: { maxToolCalls: 10 },
    });
    expect(outcome.error).toMatchObject({ kind: 'protocol', partial: {} });
    expect((outcome.error as Error).message).toContain('limit of 10 tool calls');
  });
});
