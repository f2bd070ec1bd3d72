import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../testing/decodeEvents.js';

/** A stream as Anthropic sends it: `event:` names and CRLF line endings. */
const stream = (...events: Array<[string, object]>) =>
  events.map(([type, data]) => `event: ${type}\r\ndata: ${JSON.stringify({ type, ...data })}\r\n\r\n`).join('');

const messageStart: [string, object] = [
  'message_start',
  {
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-5',
      stop_reason: null,
      usage: { input_tokens: 25, output_tokens: 1 },
    },
  },
];

describe('Anthropic Messages decoder', () => {
  it('decodes text blocks, ignores pings, and finishes at message_stop with the stop reason from message_delta', () => {
    const parts = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        ['ping', {}],
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hello' } }],
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: '!' } }],
        ['content_block_stop', { index: 0 }],
        ['message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 15 } }],
        ['message_stop', {}],
      ),
    );
    expect(parts).toEqual([
      { type: 'start', id: 'msg_01', model: 'claude-sonnet-4-5' },
      { type: 'usage', usage: { inputTokens: 25, outputTokens: 1 } },
      { type: 'text-delta', text: 'Hello' },
      { type: 'text-delta', text: '!' },
      { type: 'usage', usage: { outputTokens: 15 } },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'end_turn' },
    ]);
  });

  it.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['tool_use', 'tool-calls'],
    ['refusal', 'content-filter'],
    ['pause_turn', 'other'],
  ])('normalises stop reason %s to %s', (raw, normalised) => {
    const parts = decodeEvents(
      'anthropic',
      stream(['message_delta', { delta: { stop_reason: raw } }], ['message_stop', {}]),
    );
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: normalised, rawFinishReason: raw });
  });

  it('assembles tool_use input from input_json_delta, and streams thinking as reasoning', () => {
    const parts = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        ['content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '' } }],
        ['content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'Need the weather.' } }],
        ['content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'EqQB' } }],
        ['content_block_stop', { index: 0 }],
        [
          'content_block_start',
          { index: 1, content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} } },
        ],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '' } }],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"location": "San' } }],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: ' Francisco"}' } }],
        ['content_block_stop', { index: 1 }],
        ['message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 89 } }],
        ['message_stop', {}],
      ),
    );
    expect(parts.filter((part) => part.type !== 'start' && part.type !== 'usage')).toEqual([
      { type: 'reasoning-delta', text: 'Need the weather.' },
      { type: 'tool-call-start', id: 'toolu_1', name: 'get_weather' },
      { type: 'tool-call-delta', id: 'toolu_1', argumentsDelta: '{"location": "San' },
      { type: 'tool-call-delta', id: 'toolu_1', argumentsDelta: ' Francisco"}' },
      {
        type: 'tool-call',
        toolCall: {
          id: 'toolu_1',
          name: 'get_weather',
          arguments: { location: 'San Francisco' },
          argumentsText: '{"location": "San Francisco"}',
          choice: 0,
        },
      },
      // What Anthropic needs to continue the turn: the thinking with its signature, and the call.
      {
        type: 'continuation',
        continuation: {
          provider: 'anthropic',
          content: [
            { type: 'thinking', thinking: 'Need the weather.', signature: 'EqQB' },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'San Francisco' } },
          ],
        },
      },
      { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_use' },
    ]);
  });

  it('turns an error event mid-stream into an error part, retryable when overloaded', () => {
    const parts = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Partial' } }],
        ['error', { error: { type: 'overloaded_error', message: 'Overloaded' } }],
      ),
    );
    expect(parts.at(-1)).toEqual({
      type: 'error',
      message: 'Overloaded',
      errorType: 'overloaded_error',
      retryable: true,
    });
    const invalid = decodeEvents(
      'anthropic',
      stream(['error', { error: { type: 'invalid_request_error', message: 'No' } }]),
    );
    expect(invalid[0]).toMatchObject({ retryable: false });
  });

  it('ignores event types it does not know, as Anthropic asks of clients', () => {
    expect(decodeEvents('anthropic', stream(['some_future_event', { anything: 1 }]))).toEqual([]);
  });
});

describe('Anthropic server tools, citations, blocks and continuation', () => {
  /** A turn that searches the web, cites a page, fetches one that fails, then calls a client tool. */
  const researchTurn = stream(
    messageStart,
    ['content_block_start', { index: 0, content_block: { type: 'thinking', thinking: '', signature: '' } }],
    ['content_block_delta', { index: 0, delta: { type: 'thinking_delta', thinking: 'I should look it up.' } }],
    ['content_block_delta', { index: 0, delta: { type: 'signature_delta', signature: 'c2lnbmVk' } }],
    ['content_block_stop', { index: 0 }],
    ['content_block_start', { index: 1, content_block: { type: 'text', text: '' } }],
    ['content_block_delta', { index: 1, delta: { type: 'text_delta', text: 'Let me search.' } }],
    ['content_block_stop', { index: 1 }],
    [
      'content_block_start',
      { index: 2, content_block: { type: 'server_tool_use', id: 'srvtoolu_a', name: 'web_search', input: {} } },
    ],
    ['content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: '{"query": "tide ' } }],
    ['content_block_delta', { index: 2, delta: { type: 'input_json_delta', partial_json: 'tables Brest"}' } }],
    ['content_block_stop', { index: 2 }],
    [
      'content_block_start',
      {
        index: 3,
        content_block: {
          type: 'web_search_tool_result',
          tool_use_id: 'srvtoolu_a',
          content: [
            {
              type: 'web_search_result',
              title: 'Tides of Brest',
              url: 'https://tides.example/brest',
              encrypted_content: 'ZW5j',
            },
          ],
        },
      },
    ],
    ['content_block_stop', { index: 3 }],
    ['content_block_start', { index: 4, content_block: { type: 'text', text: '', citations: [] } }],
    [
      'content_block_delta',
      {
        index: 4,
        delta: {
          type: 'citations_delta',
          citation: {
            type: 'web_search_result_location',
            url: 'https://tides.example/brest',
            title: 'Tides of Brest',
            cited_text: 'High water at 06:12.',
            encrypted_index: 'aW5k',
          },
        },
      },
    ],
    ['content_block_delta', { index: 4, delta: { type: 'text_delta', text: 'High tide is at 06:12.' } }],
    ['content_block_stop', { index: 4 }],
    [
      'content_block_start',
      {
        index: 5,
        content_block: {
          type: 'server_tool_use',
          id: 'srvtoolu_b',
          name: 'web_fetch',
          input: { url: 'https://down.example' },
        },
      },
    ],
    ['content_block_stop', { index: 5 }],
    [
      'content_block_start',
      {
        index: 6,
        content_block: {
          type: 'web_fetch_tool_result',
          tool_use_id: 'srvtoolu_b',
          content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' },
        },
      },
    ],
    ['content_block_stop', { index: 6 }],
    [
      'content_block_start',
      { index: 7, content_block: { type: 'tool_use', id: 'toolu_c', name: 'save_note', input: {} } },
    ],
    ['content_block_delta', { index: 7, delta: { type: 'input_json_delta', partial_json: '{"note":"06:12"}' } }],
    ['content_block_stop', { index: 7 }],
    ['message_delta', { delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 120 } }],
    ['message_stop', {}],
  );

  it('keeps the tools Anthropic ran apart from the one the client must run, each with its result', () => {
    const parts = decodeEvents('anthropic', researchTurn);
    expect(parts.filter((part) => part.type === 'server-tool-call' || part.type === 'server-tool-result')).toEqual([
      {
        type: 'server-tool-call',
        block: 2,
        call: { id: 'srvtoolu_a', name: 'web_search', input: { query: 'tide tables Brest' } },
      },
      {
        type: 'server-tool-result',
        block: 3,
        id: 'srvtoolu_a',
        output: [
          {
            type: 'web_search_result',
            title: 'Tides of Brest',
            url: 'https://tides.example/brest',
            encrypted_content: 'ZW5j',
          },
        ],
      },
      // No input deltas: the input of the block's start stands.
      {
        type: 'server-tool-call',
        block: 5,
        call: { id: 'srvtoolu_b', name: 'web_fetch', input: { url: 'https://down.example' } },
      },
      {
        type: 'server-tool-result',
        block: 6,
        id: 'srvtoolu_b',
        output: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' },
        isError: true,
      },
    ]);
    expect(parts.filter((part) => part.type === 'tool-call').map((part) => part.toolCall.name)).toEqual(['save_note']);
    expect(parts.some((part) => part.type === 'tool-call-start' && part.id.startsWith('srvtoolu'))).toBe(false);
  });

  it('keeps each text block apart for a renderer, and cites the page for the text it supports', () => {
    const parts = decodeEvents('anthropic', researchTurn);
    expect(parts.filter((part) => part.type === 'text-delta' || part.type === 'source')).toEqual([
      { type: 'text-delta', text: 'Let me search.', block: 1 },
      // The page the search found, then the citation of it with the text it supports.
      { type: 'source', block: 3, source: { url: 'https://tides.example/brest', title: 'Tides of Brest' } },
      { type: 'text-delta', text: 'High tide is at 06:12.', block: 4 },
      {
        type: 'source',
        block: 4,
        source: {
          url: 'https://tides.example/brest',
          title: 'Tides of Brest',
          citedText: 'High water at 06:12.',
          textRange: { start: 14, end: 36 },
        },
      },
    ]);
    // The range is the cited block's text within the whole reply.
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    expect(text.slice(14, 36)).toBe('High tide is at 06:12.');
  });

  it('reports every page a web search found as a source, and keeps the results as the tool output', () => {
    const results = [
      { type: 'web_search_result', url: 'https://a.example/tides', title: 'Tides', page_age: '2 days ago' },
      { type: 'web_search_result', url: 'https://b.example/brest', encrypted_content: 'ZW5j' },
      // Neither a result nor a page: not a source.
      { type: 'web_search_result', title: 'No address' },
      { type: 'advert', url: 'https://c.example' },
    ];
    const parts = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        [
          'content_block_start',
          { index: 0, content_block: { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} } },
        ],
        ['content_block_stop', { index: 0 }],
        [
          'content_block_start',
          { index: 1, content_block: { type: 'web_search_tool_result', tool_use_id: 'srvtoolu_1', content: results } },
        ],
        ['content_block_stop', { index: 1 }],
        [
          'content_block_start',
          {
            index: 2,
            content_block: {
              type: 'web_search_tool_result',
              tool_use_id: 'srvtoolu_2',
              content: { type: 'web_search_tool_result_error', error_code: 'max_uses_exceeded' },
            },
          },
        ],
        ['content_block_stop', { index: 2 }],
        ['message_delta', { delta: { stop_reason: 'end_turn' } }],
        ['message_stop', {}],
      ),
    );
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', block: 1, source: { url: 'https://a.example/tides', title: 'Tides' } },
      { type: 'source', block: 1, source: { url: 'https://b.example/brest' } },
    ]);
    expect(parts.find((part) => part.type === 'server-tool-result')).toEqual({
      type: 'server-tool-result',
      block: 1,
      id: 'srvtoolu_1',
      output: results,
    });
  });

  it('ends with what is needed to continue the turn: thinking with its signature, every block in order', () => {
    const continuation = decodeEvents('anthropic', researchTurn).find((part) => part.type === 'continuation');
    expect(continuation).toEqual({
      type: 'continuation',
      continuation: {
        provider: 'anthropic',
        content: [
          { type: 'thinking', thinking: 'I should look it up.', signature: 'c2lnbmVk' },
          { type: 'text', text: 'Let me search.' },
          { type: 'server_tool_use', id: 'srvtoolu_a', name: 'web_search', input: { query: 'tide tables Brest' } },
          {
            type: 'web_search_tool_result',
            tool_use_id: 'srvtoolu_a',
            content: [
              {
                type: 'web_search_result',
                title: 'Tides of Brest',
                url: 'https://tides.example/brest',
                encrypted_content: 'ZW5j',
              },
            ],
          },
          { type: 'text', text: 'High tide is at 06:12.' },
          { type: 'server_tool_use', id: 'srvtoolu_b', name: 'web_fetch', input: { url: 'https://down.example' } },
          {
            type: 'web_fetch_tool_result',
            tool_use_id: 'srvtoolu_b',
            content: { type: 'web_fetch_tool_result_error', error_code: 'url_not_accessible' },
          },
          { type: 'tool_use', id: 'toolu_c', name: 'save_note', input: { note: '06:12' } },
        ],
      },
    });
  });

  it('keeps redacted thinking and MCP tools, and sends nothing extra for a plain text answer', () => {
    const parts = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        ['content_block_start', { index: 0, content_block: { type: 'redacted_thinking', data: 'b3BhcXVl' } }],
        ['content_block_stop', { index: 0 }],
        [
          'content_block_start',
          {
            index: 1,
            content_block: { type: 'mcp_tool_use', id: 'mcptoolu_1', name: 'lookup', input: {}, server_name: 'wiki' },
          },
        ],
        ['content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json: '{"term":"SSE"}' } }],
        ['content_block_stop', { index: 1 }],
        [
          'content_block_start',
          {
            index: 2,
            content_block: {
              type: 'mcp_tool_result',
              tool_use_id: 'mcptoolu_1',
              is_error: false,
              content: [{ type: 'text', text: 'A push protocol.' }],
            },
          },
        ],
        ['content_block_stop', { index: 2 }],
        ['message_delta', { delta: { stop_reason: 'end_turn' } }],
        ['message_stop', {}],
      ),
    );
    expect(parts.find((part) => part.type === 'server-tool-call')).toEqual({
      type: 'server-tool-call',
      block: 1,
      call: { id: 'mcptoolu_1', name: 'lookup', input: { term: 'SSE' }, server: 'wiki' },
    });
    const continuation = parts.find((part) => part.type === 'continuation');
    expect(
      continuation?.type === 'continuation' &&
        continuation.continuation.provider === 'anthropic' &&
        continuation.continuation.content[0],
    ).toEqual({
      type: 'redacted_thinking',
      data: 'b3BhcXVl',
    });
    const plain = decodeEvents(
      'anthropic',
      stream(
        messageStart,
        ['content_block_start', { index: 0, content_block: { type: 'text', text: '' } }],
        ['content_block_delta', { index: 0, delta: { type: 'text_delta', text: 'Hi.' } }],
        ['content_block_stop', { index: 0 }],
        ['message_stop', {}],
      ),
    );
    expect(plain.some((part) => part.type === 'continuation')).toBe(false);
  });
});
