import { describe, expect, it, vi } from 'vitest';
import { decodeEvents } from '../testing/decodeEvents.js';
import { streamText } from '../transport/streamText.js';
import type { StreamError } from '../transport/StreamError.js';

/** A stream as the Responses API sends it: named events whose data repeats the type. */
const stream = (...events: Array<[string, object]>) =>
  events
    .map(
      ([type, data], index) => `event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: index, ...data })}\n\n`,
    )
    .join('');
const response = { id: 'resp_1', object: 'response', model: 'gpt-4.1', output: [] };

describe('OpenAI Responses decoder', () => {
  it('decodes output text, reasoning summaries, and usage and finish from response.completed', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.created', { response: { ...response, status: 'in_progress' } }],
        ['response.in_progress', { response }],
        [
          'response.reasoning_summary_text.delta',
          { item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'Thinking' },
        ],
        [
          'response.output_item.added',
          { output_index: 1, item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] } },
        ],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Hi' }],
        ['response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: ' there' }],
        ['response.output_text.done', { item_id: 'msg_1', output_index: 1, content_index: 0, text: 'Hi there' }],
        [
          'response.completed',
          {
            response: {
              ...response,
              status: 'completed',
              output: [{ type: 'message' }],
              usage: { input_tokens: 36, output_tokens: 87, total_tokens: 123 },
            },
          },
        ],
      ),
    );
    expect(parts).toEqual([
      { type: 'start', id: 'resp_1', model: 'gpt-4.1' },
      { type: 'reasoning-delta', text: 'Thinking' },
      // The message is the second output item: its text is the reply's second block.
      { type: 'text-delta', text: 'Hi', block: 1 },
      { type: 'text-delta', text: ' there', block: 1 },
      { type: 'usage', usage: { inputTokens: 36, outputTokens: 87 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' },
    ]);
  });

  it('assembles function calls from argument deltas and reports tool-calls as the finish reason', () => {
    const item = { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '' };
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.output_item.added', { output_index: 0, item }],
        ['response.function_call_arguments.delta', { item_id: 'fc_1', output_index: 0, delta: '{"location":' }],
        ['response.function_call_arguments.delta', { item_id: 'fc_1', output_index: 0, delta: '"Paris"}' }],
        [
          'response.function_call_arguments.done',
          { item_id: 'fc_1', output_index: 0, arguments: '{"location":"Paris"}' },
        ],
        ['response.output_item.done', { output_index: 0, item: { ...item, arguments: '{"location":"Paris"}' } }],
        ['response.completed', { response: { ...response, output: [{ type: 'function_call' }] } }],
      ),
    );
    expect(parts).toEqual([
      { type: 'tool-call-start', id: 'call_1', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"location":' },
      { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '"Paris"}' },
      {
        type: 'tool-call',
        toolCall: {
          id: 'call_1',
          name: 'get_weather',
          arguments: { location: 'Paris' },
          argumentsText: '{"location":"Paris"}',
          choice: 0,
        },
      },
      // No response.created was seen (a resumed stream): the id and model come from the completion.
      { type: 'start', id: 'resp_1', model: 'gpt-4.1' },
      { type: 'continuation', continuation: { provider: 'openai-responses', output: [{ type: 'function_call' }] } },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'completed' },
    ]);
  });

  it('finishes an incomplete response with the reason it gives', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream([
        'response.incomplete',
        {
          response: {
            ...response,
            status: 'incomplete',
            incomplete_details: { reason: 'max_output_tokens' },
            usage: { input_tokens: 1, output_tokens: 2 },
          },
        },
      ]),
    );
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'length', rawFinishReason: 'max_output_tokens' });
  });

  it('turns response.failed and error events into error parts', () => {
    const failed = decodeEvents(
      'openai-responses',
      stream([
        'response.failed',
        { response: { ...response, status: 'failed', error: { code: 'server_error', message: 'Boom' } } },
      ]),
    );
    expect(failed).toEqual([
      { type: 'start', id: 'resp_1', model: 'gpt-4.1' },
      { type: 'error', message: 'Boom', errorType: 'server_error', retryable: true },
    ]);
    const error = decodeEvents(
      'openai-responses',
      stream(['error', { code: 'rate_limit_exceeded', message: 'Slow down', param: null }]),
    );
    expect(error).toEqual([{ type: 'error', message: 'Slow down', errorType: 'rate_limit_exceeded', retryable: true }]);
  });
});

describe('Responses: sources, server tools, requests to the client, continuation', () => {
  const message = (index: number, text: string, annotations: object[] = []) => ({
    output_index: index,
    item: {
      id: `msg_${index}`,
      type: 'message',
      role: 'assistant',
      status: 'completed',
      content: [{ type: 'output_text', text, annotations }],
    },
  });

  it('cites pages and files with the range of the reply text they support', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.created', { response }],
        ['response.output_text.delta', { output_index: 0, content_index: 0, delta: 'Preamble. ' }],
        ['response.output_item.done', message(0, 'Preamble. ')],
        ['response.output_text.delta', { output_index: 1, content_index: 0, delta: 'Paris is the capital.' }],
        [
          'response.output_text.annotation.added',
          {
            output_index: 1,
            content_index: 0,
            annotation: {
              type: 'url_citation',
              url: 'https://atlas.example/fr',
              title: 'Atlas',
              start_index: 0,
              end_index: 5,
            },
          },
        ],
        [
          'response.output_text.annotation.added',
          {
            output_index: 1,
            content_index: 0,
            annotation: { type: 'file_citation', file_id: 'file-1', filename: 'notes.txt', index: 21 },
          },
        ],
        [
          'response.output_item.done',
          message(1, 'Paris is the capital.', [{ type: 'url_citation', url: 'https://atlas.example/fr' }]),
        ],
        ['response.completed', { response: { ...response, output: [{ type: 'message' }, { type: 'message' }] } }],
      ),
    );
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    const sources = parts.flatMap((part) => (part.type === 'source' ? [part] : []));
    expect(sources).toEqual([
      {
        type: 'source',
        block: 1,
        source: { url: 'https://atlas.example/fr', title: 'Atlas', textRange: { start: 10, end: 15 } },
      },
      {
        type: 'source',
        block: 1,
        source: { fileId: 'file-1', filename: 'notes.txt', textRange: { start: 31, end: 31 } },
      },
    ]);
    expect(text.slice(10, 15)).toBe('Paris');
    // Only messages: nothing to send back but the text.
    expect(parts.some((part) => part.type === 'continuation')).toBe(false);
  });

  it('takes citations from a finished message when no annotation events came', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.output_text.delta', { output_index: 0, content_index: 0, delta: 'See the atlas.' }],
        [
          'response.output_item.done',
          message(0, 'See the atlas.', [
            { type: 'url_citation', url: 'https://atlas.example', start_index: 4, end_index: 13 },
          ]),
        ],
      ),
    );
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', source: { url: 'https://atlas.example', textRange: { start: 4, end: 13 } } },
    ]);
  });

  it('reports the tools OpenAI ran with their output, and never as client calls', () => {
    const image = 'aW1hZ2UgYnl0ZXM=';
    const parts = decodeEvents(
      'openai-responses',
      stream(
        [
          'response.output_item.done',
          {
            output_index: 0,
            item: {
              id: 'ws_1',
              type: 'web_search_call',
              status: 'completed',
              action: { type: 'search', query: 'tides' },
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 1,
            item: {
              id: 'ci_1',
              type: 'code_interpreter_call',
              status: 'completed',
              code: 'print(6*7)',
              container_id: 'cntr_1',
              outputs: [{ type: 'logs', logs: '42' }],
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 2,
            item: {
              id: 'ig_1',
              type: 'image_generation_call',
              status: 'completed',
              output_format: 'png',
              result: image,
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 3,
            item: {
              id: 'mcp_1',
              type: 'mcp_call',
              name: 'lookup',
              server_label: 'wiki',
              arguments: '{"term":"SSE"}',
              output: 'A push protocol.',
              error: null,
            },
          },
        ],
        ['response.completed', { response: { ...response, output: [] } }],
      ),
    );
    expect(parts.filter((part) => part.type === 'server-tool-call')).toEqual([
      {
        type: 'server-tool-call',
        call: {
          id: 'ws_1',
          name: 'web_search',
          input: { action: { type: 'search', query: 'tides' } },
          output: { status: 'completed' },
        },
      },
      {
        type: 'server-tool-call',
        block: 1,
        call: {
          id: 'ci_1',
          name: 'code_interpreter',
          input: { code: 'print(6*7)' },
          output: { container_id: 'cntr_1', outputs: [{ type: 'logs', logs: '42' }], status: 'completed' },
        },
      },
      {
        type: 'server-tool-call',
        block: 2,
        call: {
          id: 'ig_1',
          name: 'image_generation',
          input: {},
          output: { output_format: 'png', result: image, status: 'completed' },
        },
      },
      {
        type: 'server-tool-call',
        block: 3,
        call: { id: 'mcp_1', name: 'lookup', input: { term: 'SSE' }, output: 'A push protocol.', server: 'wiki' },
      },
    ]);
    expect(parts.some((part) => part.type === 'tool-call')).toBe(false);
    // The generated image is a file of the reply too, to show as a picture.
    expect(parts.filter((part) => part.type === 'file')).toEqual([
      { type: 'file', mediaType: 'image/png', url: `data:image/png;base64,${image}` },
    ]);
    // The continuation keeps the item but not its megabytes again: the reply has them already.
    const continuation = parts.find((part) => part.type === 'continuation');
    expect(JSON.stringify(continuation)).not.toContain(image);
    expect(
      continuation?.type === 'continuation' &&
        continuation.continuation.provider === 'openai-responses' &&
        continuation.continuation.output[2],
    ).toEqual({
      id: 'ig_1',
      type: 'image_generation_call',
      status: 'completed',
      output_format: 'png',
      result: null,
    });
  });

  it('reports the pages a web search consulted as sources, when the item carries them', () => {
    const action = {
      type: 'search',
      query: 'tides Brest',
      sources: [
        { type: 'url', url: 'https://a.example/tides' },
        { type: 'url', url: 'https://b.example/brest', title: 'Brest' },
        { type: 'url' },
      ],
    };
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.output_item.done', { output_index: 0, item: { id: 'ws_1', type: 'web_search_call', action } }],
        ['response.output_item.done', { output_index: 1, item: { id: 'ws_2', type: 'web_search_call' } }],
      ),
    );
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', source: { url: 'https://a.example/tides' } },
      { type: 'source', source: { url: 'https://b.example/brest', title: 'Brest' } },
    ]);
    // The search stays a server tool call, its sources with the rest of what the model asked.
    expect(parts.filter((part) => part.type === 'server-tool-call').map((part) => part.call)).toEqual([
      { id: 'ws_1', name: 'web_search', input: { action }, output: {} },
      { id: 'ws_2', name: 'web_search', input: {}, output: {} },
    ]);
  });

  it('reports a file search with its queries and results, and the file the answer cites', () => {
    const results = [
      { file_id: 'file-7', filename: 'handbook.pdf', score: 0.92, text: 'Leave is 25 days a year.', attributes: {} },
    ];
    const search = {
      id: 'fs_1',
      type: 'file_search_call',
      status: 'completed',
      queries: ['annual leave days'],
      results,
    };
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.created', { response }],
        ['response.output_item.added', { output_index: 0, item: { ...search, status: 'in_progress', results: null } }],
        ['response.file_search_call.in_progress', { output_index: 0, item_id: 'fs_1' }],
        ['response.file_search_call.searching', { output_index: 0, item_id: 'fs_1' }],
        ['response.file_search_call.completed', { output_index: 0, item_id: 'fs_1' }],
        ['response.output_item.done', { output_index: 0, item: search }],
        ['response.output_text.delta', { output_index: 1, content_index: 0, delta: 'You get 25 days.' }],
        [
          'response.output_text.annotation.added',
          {
            output_index: 1,
            content_index: 0,
            annotation: { type: 'file_citation', file_id: 'file-7', filename: 'handbook.pdf', index: 16 },
          },
        ],
        ['response.completed', { response: { ...response, status: 'completed', output: [search] } }],
      ),
    );
    expect(parts.filter((part) => part.type === 'server-tool-call')).toEqual([
      {
        type: 'server-tool-call',
        call: {
          id: 'fs_1',
          name: 'file_search',
          input: { queries: ['annual leave days'] },
          output: { results, status: 'completed' },
        },
      },
    ]);
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      {
        type: 'source',
        block: 1,
        source: { fileId: 'file-7', filename: 'handbook.pdf', textRange: { start: 16, end: 16 } },
      },
    ]);
    expect(parts.some((part) => part.type === 'tool-call' || part.type === 'tool-request')).toBe(false);
    expect(parts.find((part) => part.type === 'continuation')).toEqual({
      type: 'continuation',
      continuation: { provider: 'openai-responses', output: [search] },
    });
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'stop', rawFinishReason: 'completed' });
  });

  it('surfaces the items that wait for the client as requests of their kind', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream(
        [
          'response.output_item.done',
          {
            output_index: 0,
            item: { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_1', name: 'set_html', input: '<p>Hi</p>' },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 1,
            item: {
              id: 'lsh_1',
              type: 'local_shell_call',
              call_id: 'call_2',
              action: { type: 'exec', command: ['ls'] },
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 2,
            item: {
              id: 'apc_1',
              type: 'apply_patch_call',
              call_id: 'call_3',
              operation: { type: 'create_file', path: 'a.md', diff: '+a' },
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 3,
            item: {
              id: 'tsc_1',
              type: 'tool_search_call',
              call_id: 'call_4',
              execution: 'client',
              arguments: { queries: ['rates'] },
            },
          },
        ],
        [
          'response.output_item.done',
          {
            output_index: 4,
            item: {
              id: 'mcpr_1',
              type: 'mcp_approval_request',
              name: 'shorten',
              server_label: 'links',
              arguments: '{"url":"https://a.example"}',
            },
          },
        ],
      ),
    );
    expect(parts.filter((part) => part.type === 'tool-request').map((part) => part.request)).toEqual([
      { kind: 'custom', id: 'call_1', name: 'set_html', input: '<p>Hi</p>' },
      { kind: 'local-shell', id: 'call_2', name: 'local_shell', input: { type: 'exec', command: ['ls'] } },
      {
        kind: 'apply-patch',
        id: 'call_3',
        name: 'apply_patch',
        input: { type: 'create_file', path: 'a.md', diff: '+a' },
      },
      { kind: 'tool-search', id: 'call_4', name: 'tool_search', input: { queries: ['rates'] } },
      { kind: 'mcp-approval', id: 'mcpr_1', name: 'shorten', input: { url: 'https://a.example' }, server: 'links' },
    ]);
  });

  it('keeps the reasoning items, encrypted content included, that the next request must carry', () => {
    const reasoning = { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ZW5jcnlwdGVk' };
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.output_item.done', { output_index: 0, item: reasoning }],
        ['response.output_text.delta', { output_index: 1, content_index: 0, delta: 'Done.' }],
        [
          'response.completed',
          { response: { ...response, output: [reasoning, { id: 'msg_1', type: 'message', content: [] }] } },
        ],
      ),
    );
    expect(parts.find((part) => part.type === 'continuation')).toEqual({
      type: 'continuation',
      continuation: {
        provider: 'openai-responses',
        output: [reasoning, { id: 'msg_1', type: 'message', content: [] }],
      },
    });
  });

  it('keeps a "__proto__" key of a server tool item as a key, never as the prototype of its output', () => {
    // Written by hand: a "__proto__" key in an object literal would set the literal's prototype.
    const item =
      '{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"},' +
      '"__proto__":{"status":"spoofed","polluted":true}}';
    const parts = decodeEvents(
      'openai-responses',
      `event: response.output_item.done\ndata: {"type":"response.output_item.done","output_index":0,"item":${item}}\n\n`,
    );
    const call = parts.find((part) => part.type === 'server-tool-call');
    const output = (call?.type === 'server-tool-call' ? call.call.output : undefined) as Record<string, unknown>;
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(output['polluted']).toBeUndefined();
    expect(output['status']).toBe('completed');
    expect(Object.getOwnPropertyDescriptor(output, '__proto__')?.value).toEqual({ status: 'spoofed', polluted: true });
  });

  it('keeps items at any output_index in order without work proportional to the index (a 138-byte event once took seconds)', () => {
    const reasoning = { id: 'rs_1', type: 'reasoning', summary: [], encrypted_content: 'ZW5j' };
    const call = { id: 'ws_1', type: 'web_search_call', status: 'completed', action: { type: 'search', query: 'q' } };
    const started = performance.now();
    const parts = decodeEvents(
      'openai-responses',
      stream(
        ['response.output_item.done', { output_index: 100_000_000, item: call }],
        ['response.output_item.done', { output_index: 0, item: reasoning }],
        [
          'response.output_text.delta',
          { output_index: 9_007_199_254_740_991, content_index: 4_294_967_294, delta: 'Hi' },
        ],
        ['response.completed', { response: { ...response, output: [] } }],
      ),
    );
    // Linear in the index, the old array took about 4 s here; the bound is far above what it takes now.
    expect(performance.now() - started).toBeLessThan(1000);
    expect(parts.find((part) => part.type === 'continuation')).toEqual({
      type: 'continuation',
      continuation: { provider: 'openai-responses', output: [reasoning, call] },
    });
    expect(parts.find((part) => part.type === 'text-delta')).toEqual({
      type: 'text-delta',
      text: 'Hi',
      block: 9_007_199_254_740_991,
    });
  });

  it('reads an error whose code and message are nested, as OpenAI sends it, and ignores a trailing [DONE]', () => {
    const parts = decodeEvents(
      'openai-responses',
      stream([
        'error',
        { error: { type: 'insufficient_quota', code: 'insufficient_quota', message: 'Out of credit.' } },
      ]) + 'data: [DONE]\n\n',
    );
    expect(parts).toEqual([
      { type: 'error', message: 'Out of credit.', errorType: 'insufficient_quota', retryable: false },
    ]);
  });
});

describe('Responses streams read by streamText', () => {
  /** A fetch that answers its calls with these event streams in turn (the last one again after). */
  const answering = (...bodies: string[]) =>
    vi.fn<typeof fetch>(
      async () =>
        new Response(bodies.shift() ?? '', {
          headers: { 'content-type': 'text/event-stream' },
        }),
    );
  const read = (fetch: typeof globalThis.fetch, retry: false | { attempts: number; baseDelayMs: number } = false) =>
    streamText({ url: 'https://api.example/v1/responses', provider: 'openai-responses', fetch, retry });
  const answer = stream(
    ['response.created', { response }],
    ['response.output_text.delta', { output_index: 0, content_index: 0, delta: 'All done.' }],
    ['response.completed', { response: { ...response, usage: { input_tokens: 3, output_tokens: 2 } } }],
  );

  it('finishes, listeners told once, when a gateway adds [DONE] after response.completed', async () => {
    const answered = read(answering(`${answer}data: [DONE]\n\n`));
    const finishes = vi.fn<() => void>();
    const errors = vi.fn<() => void>();
    answered.on('finish', finishes);
    answered.on('error', errors);
    await expect(answered.result()).resolves.toMatchObject({
      text: 'All done.',
      finishReason: 'stop',
      rawFinishReason: 'completed',
      usage: { inputTokens: 3, outputTokens: 2 },
    });
    expect(finishes).toHaveBeenCalledTimes(1);
    expect(errors).not.toHaveBeenCalled();
  });

  it.each([
    ['a server error', { type: 'server_error', code: null, message: 'The server had an error.' }],
    // OpenAI's rate limits are named in the code, beside a type of "tokens" or "requests".
    ['a rate limit', { type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached.' }],
  ])('retries a nested error event that reports %s before the first token', async (_what, error) => {
    const fetch = answering(stream(['error', { error }]), answer);
    await expect(read(fetch, { attempts: 2, baseDelayMs: 1 }).result()).resolves.toMatchObject({ text: 'All done.' });
    expect(fetch).toHaveBeenCalledTimes(2);
    const failure = (await read(answering(stream(['error', { error }])))
      .result()
      .catch((e: unknown) => e)) as StreamError;
    expect(failure).toMatchObject({ kind: 'provider', retryable: true, providerErrorType: error.type });
    expect(failure.message).toBe(`The provider reported an error: ${error.message}`);
  });

  it('does not retry a nested error that asking again cannot get past', async () => {
    const error = { type: 'insufficient_quota', code: 'insufficient_quota', message: 'Out of credit.' };
    const fetch = answering(stream(['error', { error }]), answer);
    await expect(read(fetch, { attempts: 2, baseDelayMs: 1 }).result()).rejects.toMatchObject({
      kind: 'provider',
      retryable: false,
      providerErrorType: 'insufficient_quota',
    });
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('finishes with stop a turn that waits on the client, which learns it from the tool requests', async () => {
    const items = [
      { id: 'ctc_1', type: 'custom_tool_call', call_id: 'call_1', name: 'run_sql', input: 'SELECT 1' },
      { id: 'lsh_1', type: 'local_shell_call', call_id: 'call_2', action: { type: 'exec', command: ['ls'] } },
      { id: 'apc_1', type: 'apply_patch_call', call_id: 'call_3', operation: { type: 'delete_file', path: 'a' } },
      { id: 'mcpr_1', type: 'mcp_approval_request', name: 'deploy', server_label: 'ops', arguments: '{}' },
      { id: 'tsc_1', type: 'tool_search_call', call_id: 'call_4', execution: 'client', arguments: { q: 'x' } },
    ];
    const parts = stream(
      ['response.created', { response }],
      ...items.map((item, index): [string, object] => ['response.output_item.done', { output_index: index, item }]),
      ['response.completed', { response: { ...response, status: 'completed', output: items } }],
    );
    const waiting = read(answering(parts));
    const requests: unknown[] = [];
    waiting.on('part', (part) => {
      if (part.type === 'tool-request') requests.push(part.request);
    });
    const result = await waiting.result();
    // The API's own word (completed) read as the official SDK reads it: stop, not tool-calls,
    // since none of these is a function call. The tool requests are what says the turn waits.
    expect(result).toMatchObject({ finishReason: 'stop', rawFinishReason: 'completed', toolCalls: [] });
    expect(result.toolRequests.map((request) => [request.kind, request.id])).toEqual([
      ['custom', 'call_1'],
      ['local-shell', 'call_2'],
      ['apply-patch', 'call_3'],
      ['mcp-approval', 'mcpr_1'],
      ['tool-search', 'call_4'],
    ]);
    expect(requests).toEqual(result.toolRequests);
  });
});
