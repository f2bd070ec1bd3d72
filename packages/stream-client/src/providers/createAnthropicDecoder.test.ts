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
