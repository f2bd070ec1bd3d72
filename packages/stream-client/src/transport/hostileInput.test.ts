/*
 * The five kinds of hostile or broken input a fuzz run found, each as it was found: every one
 * ends in a typed StreamError, settles every reader, and holds nothing unbounded.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ProviderFormat } from '../providers/Decoder.js';
import type { StreamPart } from '../providers/StreamPart.js';
import { providerEvents } from '../testing/providerEvents.js';
import { streamBlocks } from '../testing/streamBlocks.js';
import { streamText } from './streamText.js';
import { StreamError } from './StreamError.js';
import type { StreamTextOptions } from './streamText.js';
import type { StreamResult } from './StreamResult.js';

/** An object's own properties by name, with their descriptors. */
const ownProperties = (object: object) =>
  new Map(Object.entries(Object.getOwnPropertyDescriptors(object)).toSorted(([a], [b]) => (a < b ? -1 : 1)));

/** The paths of the objects within `value` whose prototype is neither Object.prototype nor Array.prototype. */
function foreignPrototypes(value: unknown, path = 'result', found: string[] = []): string[] {
  if (value === null || typeof value !== 'object') return found;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== Array.prototype) found.push(path);
  for (const [key, item] of Object.entries(value)) foreignPrototypes(item, `${path}.${key}`, found);
  return found;
}

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

  /** Streams whose every field a part is made of has the wrong type: numbers for ids, arrays for names, objects for text. */
  const wrongTypes: Record<Exclude<ProviderFormat, 'sluice'>, string> = {
    openai:
      'data: {"id":7,"model":["m"],"choices":[{"index":0,"delta":{"content":"Hi","reasoning_content":{"a":1},"refusal":3,' +
      '"tool_calls":[{"index":0,"id":7,"function":{"name":["f"],"arguments":{"a":1}}}]}}]}\n\n' +
      'data: {"choices":[{"index":0,"delta":{"content":42},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":"12","completion_tokens":{}}}\n\n' +
      'data: [DONE]\n\n',
    anthropic: [
      '{"type":"message_start","message":{"id":5,"model":{},"usage":{"input_tokens":"12","output_tokens":[]}}}',
      '{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":42}}',
      '{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":{"a":1}}}',
      '{"type":"content_block_stop","index":0}',
      '{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":7,"name":["f"],"input":{}}}',
      '{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":{"a":1}}}',
      '{"type":"content_block_stop","index":1}',
      '{"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":"3"}}',
      '{"type":"message_stop"}',
    ]
      .map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`)
      .join(''),
    'openai-responses': [
      '{"type":"response.created","response":{"id":5,"model":[]}}',
      '{"type":"response.output_text.delta","output_index":0,"delta":"Hi"}',
      '{"type":"response.output_text.delta","output_index":0,"delta":42}',
      '{"type":"response.reasoning_summary_text.delta","delta":{"a":1}}',
      '{"type":"response.output_item.added","output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":7,"name":["f"]}}',
      '{"type":"response.function_call_arguments.delta","item_id":"fc_1","delta":{"a":1}}',
      '{"type":"response.output_item.done","output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":7,"name":["f"],"arguments":5}}',
      '{"type":"response.completed","response":{"output":[{"type":"function_call"}],"usage":{"input_tokens":"12","output_tokens":-1}}}',
    ]
      .map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`)
      .join(''),
  };

  it.each(Object.entries(wrongTypes))(
    '%s: a field of the wrong type is left out of the parts, never passed on as it came',
    async (format, events) => {
      const { outcome, seen } = await readEveryWay({
        fetch: async () => eventStream(events),
        provider: format as ProviderFormat,
      });
      expect(outcome.error).toBeUndefined();
      const result = outcome.result!;
      expect(result).toMatchObject({ text: 'Hi', reasoning: '', refusal: '', finishReason: 'tool-calls' });
      expect(result.responseId).toBeUndefined();
      expect(result.model).toBeUndefined();
      // The call is kept, with a generated id, no name and no arguments, rather than the numbers and arrays sent.
      expect(result.toolCalls).toEqual([
        { id: expect.any(String), name: '', arguments: {}, argumentsText: '', choice: 0 },
      ]);
      expect(result.usage ?? { inputTokens: 0, outputTokens: 0 }).toEqual({ inputTokens: 0, outputTokens: 0 });
      for (const part of seen.parts) {
        if ('text' in part) expect(typeof part.text).toBe('string');
      }
    },
  );

  /** Every event of these streams carries "__proto__" keys where provider JSON is copied into results. */
  const pollution = '"__proto__":{"polluted":true,"toString":"spoofed"}';
  const pollutionAttempts: Record<ProviderFormat, string> = {
    openai: [
      `{${pollution},"choices":[{${pollution},"index":0,"delta":{${pollution},"content":"Hi","annotations":[{"type":"url_citation","url_citation":{${pollution},"url":"https://a.example"}}],"executed_tools":[{"index":0,"type":"search","arguments":${JSON.stringify(`{${pollution}}`)},"output":"r"}],"tool_calls":[{"index":0,"id":"c","function":{"name":"f","arguments":${JSON.stringify(`{${pollution}}`)}}}]}}]}`,
      `{"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}],"usage":{${pollution},"prompt_tokens":1}}`,
      '[DONE]',
    ]
      .map((data) => `data: ${data}\n\n`)
      .join(''),
    anthropic: [
      `{"type":"message_start","message":{${pollution},"id":"m","usage":{${pollution},"input_tokens":1}}}`,
      `{"type":"content_block_start","index":0,"content_block":{${pollution},"type":"server_tool_use","id":"s","name":"web_search","input":{${pollution}}}}`,
      '{"type":"content_block_stop","index":0}',
      `{"type":"content_block_start","index":1,"content_block":{${pollution},"type":"web_search_tool_result","tool_use_id":"s","content":[{${pollution},"type":"web_search_result","url":"https://a.example"}]}}`,
      '{"type":"content_block_stop","index":1}',
      '{"type":"content_block_start","index":2,"content_block":{"type":"text","text":""}}',
      `{"type":"content_block_delta","index":2,"delta":{"type":"citations_delta","citation":{${pollution},"url":"https://a.example"}}}`,
      '{"type":"content_block_delta","index":2,"delta":{"type":"text_delta","text":"Hi"}}',
      '{"type":"content_block_stop","index":2}',
      `{"type":"message_delta","delta":{${pollution},"stop_reason":"end_turn"},"usage":{${pollution},"output_tokens":1}}`,
      '{"type":"message_stop"}',
    ]
      .map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`)
      .join(''),
    'openai-responses': [
      '{"type":"response.output_text.delta","delta":"Hi"}',
      `{"type":"response.output_item.done","output_index":1,"item":{${pollution},"id":"ws","type":"web_search_call","status":"completed","action":{${pollution},"type":"search"}}}`,
      `{"type":"response.output_item.done","output_index":2,"item":{${pollution},"id":"mcp","type":"mcp_call","name":"n","arguments":${JSON.stringify(`{${pollution}}`)},"output":"o"}}`,
      `{"type":"response.output_text.annotation.added","output_index":0,"annotation":{${pollution},"type":"url_citation","url":"https://a.example"}}`,
      `{"type":"response.completed","response":{${pollution},"output":[],"usage":{${pollution},"input_tokens":1}}}`,
    ]
      .map((data) => `event: ${(JSON.parse(data) as { type: string }).type}\ndata: ${data}\n\n`)
      .join(''),
    sluice: [
      ['text-delta', `{${pollution},"text":"Hi"}`],
      [
        'server-tool-call',
        `{"call":{${pollution},"id":"s","name":"n","input":{${pollution}},"output":{${pollution}}}}`,
      ],
      ['source', `{"source":{${pollution},"url":"https://a.example"}}`],
      ['usage', `{"usage":{${pollution},"inputTokens":1}}`],
      ['finish', `{${pollution},"finishReason":"stop"}`],
    ]
      .map(([type, data]) => `event: ${type}\ndata: ${data}\n\n`)
      .join(''),
  };

  it.each(Object.entries(pollutionAttempts))(
    '%s: "__proto__" keys touch neither Object.prototype nor the prototype of any object in the result',
    async (format, events) => {
      const before = ownProperties(Object.prototype);
      const { outcome } = await readEveryWay({
        fetch: async () => eventStream(events),
        provider: format as ProviderFormat,
      });
      expect(outcome.error).toBeUndefined();
      expect(outcome.result?.text).toBe('Hi');
      // Nothing added, and every property (toString included) still the very same value.
      const after = ownProperties(Object.prototype);
      expect([...after.keys()]).toEqual([...before.keys()]);
      for (const [name, descriptor] of before) {
        expect(Object.is(after.get(name)?.value, descriptor.value), name).toBe(true);
        expect(Object.is(after.get(name)?.get, descriptor.get), name).toBe(true);
      }
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
      // The keys stay keys: each object the result holds inherits only what JSON.parse's objects do.
      expect(foreignPrototypes(outcome.result)).toEqual([]);
    },
  );

  it('fails a stream past its limit of parts, keeping what came before', async () => {
    const { outcome, seen } = await readEveryWay({
      fetch: async () =>
        eventStream(providerEvents('openai', { text: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] }).join('')),
      provider: 'openai',
      limits: { maxParts: 5 },
    });
    expect(outcome.error).toMatchObject({ kind: 'protocol', retryable: false });
    expect((outcome.error as Error).message).toContain('limit of 5 parts');
    // The role chunk's start part, then four tokens: five parts, the fifth token refused.
    expect(seen.parts).toHaveLength(5);
    expect((outcome.error as StreamError).partial.text).toBe('abcd');
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
