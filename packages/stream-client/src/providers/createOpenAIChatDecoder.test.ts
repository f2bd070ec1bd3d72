import { describe, expect, it } from 'vitest';
import { decodeEvents } from '../testing/decodeEvents.js';

/** A stream as OpenAI sends it, one JSON chunk per `data:` line. */
const stream = (...chunks: unknown[]) =>
  chunks.map((chunk) => `data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`).join('');
const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-2024-08-06' };
const chunk = (choices: unknown[], extra: object = {}) => ({ ...head, choices, ...extra });
const delta = (value: object, index = 0, finish: string | null = null) => ({
  index,
  delta: value,
  logprobs: null,
  finish_reason: finish,
});

describe('OpenAI Chat Completions decoder', () => {
  it('turns the role chunk, content deltas, finish reason, usage chunk and [DONE] into parts', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ role: 'assistant', content: '', refusal: null })]),
        chunk([delta({ content: 'Hel' })]),
        chunk([delta({ content: 'lo' })]),
        chunk([delta({}, 0, 'stop')]),
        chunk([], { usage: { prompt_tokens: 9, completion_tokens: 2, total_tokens: 11 } }),
        '[DONE]',
      ),
    );
    expect(parts).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'lo' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' },
      { type: 'usage', usage: { inputTokens: 9, outputTokens: 2 } },
    ]);
  });

  it('assembles tool calls by index from argument fragments and parses their JSON', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ role: 'assistant', content: null })]),
        chunk([
          delta({
            tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'weather', arguments: '' } }],
          }),
        ]),
        chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] })]),
        chunk([
          delta({
            tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'time', arguments: '{}' } }],
          }),
        ]),
        chunk([delta({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] })]),
        chunk([delta({}, 0, 'tool_calls')]),
        '[DONE]',
      ),
    );
    const calls = parts.filter((part) => part.type === 'tool-call').map((part) => part.toolCall);
    expect(calls).toEqual([
      { id: 'call_a', name: 'weather', arguments: { city: 'Paris' }, argumentsText: '{"city":"Paris"}', choice: 0 },
      { id: 'call_b', name: 'time', arguments: {}, argumentsText: '{}', choice: 0 },
    ]);
    expect(parts.at(-1)).toEqual({ type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' });
  });

  it('keeps the arguments text when the model wrote invalid JSON', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ tool_calls: [{ index: 0, id: 'call_x', function: { name: 'f', arguments: '{"a": tru' } }] })]),
        chunk([delta({}, 0, 'tool_calls')]),
      ),
    );
    expect(parts.find((part) => part.type === 'tool-call')).toMatchObject({
      toolCall: { arguments: undefined, argumentsText: '{"a": tru' },
    });
  });

  it('keeps n > 1 choices apart by index', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ content: 'A1' }, 0), delta({ content: 'B1' }, 1)]),
        chunk([delta({ content: 'B2' }, 1)]),
        chunk([delta({ content: 'A2' }, 0, 'length')]),
        chunk([delta({}, 1, 'stop')]),
        '[DONE]',
      ),
    );
    expect(parts.slice(1)).toEqual([
      { type: 'text-delta', text: 'A1' },
      { type: 'text-delta', text: 'B1', choice: 1 },
      { type: 'text-delta', text: 'B2', choice: 1 },
      { type: 'text-delta', text: 'A2' },
      { type: 'finish', finishReason: 'length', rawFinishReason: 'length' },
      { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop', choice: 1 },
    ]);
  });

  it('reports refusals apart from the answer, and content filtering as its finish reason', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ refusal: "I can't" })]),
        chunk([delta({ refusal: ' help.' }, 0, 'content_filter')]),
        '[DONE]',
      ),
    );
    expect(parts.slice(1)).toEqual([
      { type: 'refusal-delta', text: "I can't" },
      { type: 'refusal-delta', text: ' help.' },
      { type: 'finish', finishReason: 'content-filter', rawFinishReason: 'content_filter' },
    ]);
  });

  it('turns an {"error": ...} object mid-stream into an error part, retryable for server errors', () => {
    const parts = decodeEvents(
      'openai',
      stream(chunk([delta({ content: 'Hi' })]), {
        error: { message: 'The server had an error', type: 'server_error', code: null },
      }),
    );
    expect(parts.at(-1)).toEqual({
      type: 'error',
      message: 'The server had an error',
      errorType: 'server_error',
      retryable: true,
    });
    const invalid = decodeEvents('openai', stream({ error: { message: 'Bad key', type: 'invalid_request_error' } }));
    expect(invalid).toEqual([
      { type: 'error', message: 'Bad key', errorType: 'invalid_request_error', retryable: false },
    ]);
  });

  it('treats [DONE] without a finish reason as a whole stream of unknown reason', () => {
    expect(decodeEvents('openai', stream(chunk([delta({ content: 'x' })]), '[DONE]')).at(-1)).toEqual({
      type: 'finish',
      finishReason: 'other',
    });
  });

  it('throws on malformed JSON, for the transport to report', () => {
    expect(() => decodeEvents('openai', 'data: {"choices": [\n\n')).toThrow(SyntaxError);
  });
});

describe('OpenAI-compatible servers', () => {
  it('reads reasoning from delta.reasoning as from delta.reasoning_content, never both twice', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ reasoning: 'Weighing it up.' })]),
        chunk([delta({ reasoning_content: 'Once.', reasoning: 'Once.' })]),
        chunk([delta({ content: 'Yes.' }, 0, 'stop')]),
        '[DONE]',
      ),
    );
    expect(parts.filter((part) => part.type === 'reasoning-delta').map((part) => part.text)).toEqual([
      'Weighing it up.',
      'Once.',
    ]);
  });

  it('takes the id and model from the first chunk that has them, as Azure sends an empty first one', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        { id: '', object: 'chat.completion.chunk', model: '', choices: [], prompt_filter_results: [] },
        chunk([delta({ content: 'Hi' }, 0, 'stop')]),
        '[DONE]',
      ),
    );
    expect(parts.filter((part) => part.type === 'start')).toEqual([
      { type: 'start', id: 'chatcmpl-1', model: 'gpt-4o-2024-08-06' },
    ]);
  });

  it('cites the pages in url_citation annotations, with their range when the server gives one', () => {
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([
          delta({
            content: '',
            annotations: [
              {
                type: 'url_citation',
                url_citation: {
                  url: 'https://a.example',
                  title: 'A',
                  start_index: 0,
                  end_index: 0,
                  content: 'Quoted.',
                },
              },
              {
                type: 'url_citation',
                url_citation: { url: 'https://b.example', title: '', start_index: 3, end_index: 9 },
              },
            ],
          }),
        ]),
        chunk([delta({ content: 'Read both pages.' }, 0, 'stop')]),
        '[DONE]',
      ),
    );
    expect(parts.filter((part) => part.type === 'source')).toEqual([
      { type: 'source', source: { url: 'https://a.example', title: 'A', citedText: 'Quoted.' } },
      { type: 'source', source: { url: 'https://b.example', textRange: { start: 3, end: 9 } } },
    ]);
  });

  it('reports the tools a Groq compound model ran, first asked and then answered', () => {
    const asked = { index: 0, type: 'search', arguments: '{"query":"tides"}', search_results: { results: [] } };
    const parts = decodeEvents(
      'openai',
      stream(
        chunk([delta({ executed_tools: [asked] })]),
        chunk([delta({ executed_tools: [{ ...asked, output: 'High water 06:12' }] })]),
        chunk([delta({ content: 'At 06:12.' }, 0, 'stop')]),
        '[DONE]',
      ),
    );
    expect(parts.filter((part) => part.type.startsWith('server-tool'))).toEqual([
      { type: 'server-tool-call', call: { id: 'executed_0', name: 'search', input: { query: 'tides' } } },
      { type: 'server-tool-result', id: 'executed_0', output: 'High water 06:12' },
    ]);
  });
});
