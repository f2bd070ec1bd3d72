import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../testing/decodeEvents.js';

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
