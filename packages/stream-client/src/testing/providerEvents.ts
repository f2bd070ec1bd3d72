import { SLUICE_PROTOCOL_VERSION } from '../providers/createSluiceDecoder.js';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { ProviderFormat } from '../providers/Decoder.js';
import type { FinishReason, StreamPart, Usage } from '../providers/StreamPart.js';
import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';

/** What a mocked model says: text (split into tokens), and optionally reasoning, tool calls, usage. */
export interface ModelScript {
  /** The answer, as one string (split into word-sized tokens) or as the tokens themselves. */
  text: string | readonly string[];
  /** Reasoning or thinking to stream before the answer. */
  reasoning?: string | undefined;
  /** Tool calls to make after the text. */
  toolCalls?: ReadonlyArray<{ id: string; name: string; arguments: unknown }> | undefined;
  /** Token counts to report; by default the input is 12 and the output the number of tokens. */
  usage?: Usage | undefined;
  /** Why the model stops; by default `tool-calls` when there are tool calls, else `stop`. */
  finishReason?: FinishReason | undefined;
  /**
   * Puts an `id:` on every event, so clients can resume: its index, or for the `sluice` protocol
   * `<streamId>:<index>`, as a server that keeps replies numbers them.
   */
  ids?: boolean | undefined;
  /** The reply's stream id in the `sluice` protocol's header; default `mock-stream`. */
  streamId?: string | undefined;
}

/** Splits text into word-sized tokens the way LLM deltas look: each word with the space before it. */
export function tokenize(text: string): string[] {
  return text.match(/\s*\S+|\s+$/g) ?? [];
}

const openAIReasons: Record<FinishReason, string> = {
  stop: 'stop',
  length: 'length',
  'tool-calls': 'tool_calls',
  'content-filter': 'content_filter',
  other: 'stop',
};
const anthropicReasons: Record<FinishReason, string> = {
  stop: 'end_turn',
  length: 'max_tokens',
  'tool-calls': 'tool_use',
  'content-filter': 'refusal',
  other: 'end_turn',
};

/**
 * The events a provider would send for a script, each a complete event-stream block (ending in its
 * blank line), shaped like the provider's own: OpenAI Chat Completions, OpenAI Responses, Anthropic
 * Messages, or the `sluice` relay protocol. Split, delay, cut or corrupt them to test a client.
 */
export function providerEvents(provider: ProviderFormat, script: ModelScript): string[] {
  const tokens = typeof script.text === 'string' ? tokenize(script.text) : [...script.text];
  const toolCalls = script.toolCalls ?? [];
  const usage = script.usage ?? { inputTokens: 12, outputTokens: tokens.length };
  const finishReason = script.finishReason ?? (toolCalls.length > 0 ? 'tool-calls' : 'stop');
  const reasoning = script.reasoning === undefined ? [] : tokenize(script.reasoning);
  const streamId = script.streamId ?? 'mock-stream';
  const blocks = build(provider, { tokens, reasoning, toolCalls, usage, finishReason, streamId });
  if (!script.ids) return blocks;
  return blocks.map((block, index) => `id: ${provider === 'sluice' ? `${streamId}:${index}` : index}\n${block}`);
}

interface Plan {
  tokens: string[];
  reasoning: string[];
  toolCalls: ReadonlyArray<{ id: string; name: string; arguments: unknown }>;
  usage: Usage;
  finishReason: FinishReason;
  streamId: string;
}

function build(provider: ProviderFormat, plan: Plan): string[] {
  switch (provider) {
    case 'openai':
      return openAI(plan);
    case 'anthropic':
      return anthropic(plan);
    case 'openai-responses':
      return openAIResponses(plan);
    case 'sluice':
      return sluice(plan);
    default:
      throw new TypeError(`Unknown provider ${JSON.stringify(provider)}.`);
  }
}

const json = (type: string | undefined, value: unknown) =>
  formatServerSentEvent({ ...(type === undefined ? {} : { type }), data: JSON.stringify(value) });

/** A tool call's arguments as JSON, and that JSON in two halves: mocks stream them as two deltas. */
function argumentHalves(value: unknown): [whole: string, first: string, second: string] {
  const text = JSON.stringify(value);
  const half = Math.ceil(text.length / 2);
  return [text, text.slice(0, half), text.slice(half)];
}

function openAI(plan: Plan): string[] {
  const head = { id: 'chatcmpl-mock', object: 'chat.completion.chunk', created: 1_700_000_000, model: 'gpt-4o-mock' };
  const chunk = (delta: object, finishReason: string | null = null) =>
    json(undefined, { ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] });
  const blocks = [chunk({ role: 'assistant', content: '', refusal: null })];
  for (const text of plan.reasoning) blocks.push(chunk({ reasoning_content: text }));
  for (const content of plan.tokens) blocks.push(chunk({ content }));
  plan.toolCalls.forEach((call, index) => {
    const [, first, second] = argumentHalves(call.arguments);
    blocks.push(
      chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }] }),
    );
    blocks.push(chunk({ tool_calls: [{ index, function: { arguments: first } }] }));
    blocks.push(chunk({ tool_calls: [{ index, function: { arguments: second } }] }));
  });
  blocks.push(chunk({}, openAIReasons[plan.finishReason]));
  blocks.push(
    json(undefined, {
      ...head,
      choices: [],
      usage: {
        prompt_tokens: plan.usage.inputTokens,
        completion_tokens: plan.usage.outputTokens,
        total_tokens: plan.usage.inputTokens + plan.usage.outputTokens,
      },
    }),
  );
  blocks.push(formatServerSentEvent({ data: '[DONE]' }));
  return blocks;
}

function anthropic(plan: Plan): string[] {
  const event = (type: string, value: object) => json(type, { type, ...value });
  const blocks = [
    event('message_start', {
      message: {
        id: 'msg_mock',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-mock',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: plan.usage.inputTokens, output_tokens: 1 },
      },
    }),
  ];
  let index = 0;
  if (plan.reasoning.length > 0) {
    blocks.push(event('content_block_start', { index, content_block: { type: 'thinking', thinking: '' } }));
    for (const thinking of plan.reasoning) {
      blocks.push(event('content_block_delta', { index, delta: { type: 'thinking_delta', thinking } }));
    }
    blocks.push(event('content_block_stop', { index }));
    index++;
  }
  blocks.push(event('content_block_start', { index, content_block: { type: 'text', text: '' } }));
  blocks.push(event('ping', {}));
  for (const text of plan.tokens)
    blocks.push(event('content_block_delta', { index, delta: { type: 'text_delta', text } }));
  blocks.push(event('content_block_stop', { index }));
  for (const call of plan.toolCalls) {
    index++;
    const [, first, second] = argumentHalves(call.arguments);
    blocks.push(
      event('content_block_start', {
        index,
        content_block: { type: 'tool_use', id: call.id, name: call.name, input: {} },
      }),
    );
    blocks.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: first } }));
    blocks.push(event('content_block_delta', { index, delta: { type: 'input_json_delta', partial_json: second } }));
    blocks.push(event('content_block_stop', { index }));
  }
  blocks.push(
    event('message_delta', {
      delta: { stop_reason: anthropicReasons[plan.finishReason], stop_sequence: null },
      usage: { output_tokens: plan.usage.outputTokens },
    }),
  );
  blocks.push(event('message_stop', {}));
  return blocks;
}

function openAIResponses(plan: Plan): string[] {
  let sequence = 0;
  const event = (type: string, value: object) => json(type, { type, sequence_number: sequence++, ...value });
  const response = { id: 'resp_mock', object: 'response', model: 'gpt-4.1-mock', status: 'in_progress', output: [] };
  const blocks = [event('response.created', { response })];
  let outputIndex = 0;
  if (plan.reasoning.length > 0) {
    for (const delta of plan.reasoning) {
      blocks.push(
        event('response.reasoning_summary_text.delta', {
          item_id: 'rs_mock',
          output_index: outputIndex,
          summary_index: 0,
          delta,
        }),
      );
    }
    outputIndex++;
  }
  const messageItem = { id: 'msg_mock', type: 'message', status: 'in_progress', role: 'assistant', content: [] };
  blocks.push(event('response.output_item.added', { output_index: outputIndex, item: messageItem }));
  for (const delta of plan.tokens) {
    blocks.push(
      event('response.output_text.delta', { item_id: 'msg_mock', output_index: outputIndex, content_index: 0, delta }),
    );
  }
  blocks.push(
    event('response.output_text.done', {
      item_id: 'msg_mock',
      output_index: outputIndex,
      content_index: 0,
      text: plan.tokens.join(''),
    }),
  );
  const output: object[] = [{ ...messageItem, status: 'completed' }];
  for (const call of plan.toolCalls) {
    outputIndex++;
    const itemId = `fc_${call.id}`;
    const [text, first, second] = argumentHalves(call.arguments);
    const item = {
      id: itemId,
      type: 'function_call',
      status: 'in_progress',
      call_id: call.id,
      name: call.name,
      arguments: '',
    };
    blocks.push(event('response.output_item.added', { output_index: outputIndex, item }));
    blocks.push(
      event('response.function_call_arguments.delta', {
        item_id: itemId,
        output_index: outputIndex,
        delta: first,
      }),
    );
    blocks.push(
      event('response.function_call_arguments.delta', {
        item_id: itemId,
        output_index: outputIndex,
        delta: second,
      }),
    );
    blocks.push(
      event('response.function_call_arguments.done', { item_id: itemId, output_index: outputIndex, arguments: text }),
    );
    const done = { ...item, status: 'completed', arguments: text };
    blocks.push(event('response.output_item.done', { output_index: outputIndex, item: done }));
    output.push(done);
  }
  const usage = {
    input_tokens: plan.usage.inputTokens,
    output_tokens: plan.usage.outputTokens,
    total_tokens: plan.usage.inputTokens + plan.usage.outputTokens,
  };
  if (plan.finishReason === 'length' || plan.finishReason === 'content-filter') {
    const reason = plan.finishReason === 'length' ? 'max_output_tokens' : 'content_filter';
    blocks.push(
      event('response.incomplete', {
        response: { ...response, status: 'incomplete', incomplete_details: { reason }, output, usage },
      }),
    );
  } else {
    blocks.push(event('response.completed', { response: { ...response, status: 'completed', output, usage } }));
  }
  return blocks;
}

function sluice(plan: Plan): string[] {
  const parts: StreamPart[] = [
    { type: 'sluice', version: SLUICE_PROTOCOL_VERSION, streamId: plan.streamId },
    { type: 'start', id: 'relay-mock', model: 'sluice-mock' },
  ];
  for (const text of plan.reasoning) parts.push({ type: 'reasoning-delta', text });
  for (const text of plan.tokens) parts.push({ type: 'text-delta', text });
  for (const call of plan.toolCalls) {
    const argumentsText = JSON.stringify(call.arguments);
    parts.push({ type: 'tool-call-start', id: call.id, name: call.name });
    parts.push({ type: 'tool-call-delta', id: call.id, argumentsDelta: argumentsText });
    parts.push({
      type: 'tool-call',
      toolCall: { id: call.id, name: call.name, arguments: call.arguments, argumentsText, choice: 0 },
    });
  }
  parts.push({ type: 'finish', finishReason: plan.finishReason, rawFinishReason: plan.finishReason });
  parts.push({ type: 'usage', usage: plan.usage });
  return parts.map((part) => formatServerSentEvent(sluiceEvent(part)));
}
