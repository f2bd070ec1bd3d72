import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { startPart } from './startPart.js';
import type { FinishReason } from './StreamPart.js';
import { usagePart } from './usagePart.js';

interface AnthropicEvent {
  type?: string;
  index?: number;
  message?: { id?: string; model?: string; usage?: { input_tokens?: number; output_tokens?: number } };
  content_block?: { type?: string; id?: string; name?: string };
  delta?: {
    type?: string;
    text?: string;
    partial_json?: string;
    thinking?: string;
    stop_reason?: string | null;
  };
  usage?: { input_tokens?: number; output_tokens?: number };
  error?: { type?: string; message?: string };
}

const finishReasons: Record<string, FinishReason> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/**
 * Decodes Anthropic Messages streams: `message_start` (input usage), text, `tool_use` blocks
 * assembled from `input_json_delta`, thinking, `message_delta` (stop reason, output usage),
 * `message_stop` as the terminal signal, `ping` ignored, and `error` events mid-stream.
 */
export function createAnthropicDecoder(): Decoder {
  // Tool-use blocks in progress, by content block index.
  const toolBlocks = new Map<number, { id: string; name: string; argumentsText: string }>();
  let stopReason: string | undefined;

  return {
    format: 'anthropic',
    decode(event, emit) {
      if (event.type === 'ping') return;
      if (event.data === '[DONE]') formatMismatch(event, 'anthropic');
      const data = JSON.parse(event.data) as AnthropicEvent;
      switch (data.type ?? event.type) {
        case 'content_block_delta': {
          const delta = data.delta;
          if (delta === undefined) return;
          if (delta.type === 'text_delta') {
            if (delta.text) emit({ type: 'text-delta', text: delta.text });
          } else if (delta.type === 'input_json_delta') {
            const block = toolBlocks.get(data.index ?? 0);
            if (block !== undefined && delta.partial_json) {
              block.argumentsText += delta.partial_json;
              emit({ type: 'tool-call-delta', id: block.id, argumentsDelta: delta.partial_json });
            }
          } else if (delta.type === 'thinking_delta') {
            if (delta.thinking) emit({ type: 'reasoning-delta', text: delta.thinking });
          }
          return;
        }
        case 'message_start': {
          const message = data.message ?? {};
          emit(startPart(message.id, message.model));
          if (message.usage !== undefined) emit(usagePart(message.usage.input_tokens, message.usage.output_tokens));
          return;
        }
        case 'content_block_start': {
          const block = data.content_block;
          if (block?.type === 'tool_use' || block?.type === 'server_tool_use') {
            const id = block.id ?? `toolu_${data.index ?? 0}`;
            const name = block.name ?? '';
            toolBlocks.set(data.index ?? 0, { id, name, argumentsText: '' });
            emit({ type: 'tool-call-start', id, name });
          }
          return;
        }
        case 'content_block_stop': {
          const index = data.index ?? 0;
          const block = toolBlocks.get(index);
          if (block !== undefined) {
            toolBlocks.delete(index);
            emit({
              type: 'tool-call',
              toolCall: { ...block, arguments: parseToolArguments(block.argumentsText), choice: 0 },
            });
          }
          return;
        }
        case 'message_delta': {
          if (data.delta?.stop_reason != null) stopReason = data.delta.stop_reason;
          if (data.usage !== undefined) emit(usagePart(data.usage.input_tokens, data.usage.output_tokens));
          return;
        }
        case 'message_stop':
          emit({
            type: 'finish',
            finishReason: stopReason === undefined ? 'other' : (finishReasons[stopReason] ?? 'other'),
            ...(stopReason === undefined ? {} : { rawFinishReason: stopReason }),
          });
          return;
        case 'error': {
          emit(errorPart(data.error?.message, data.error?.type));
          return;
        }
        default:
          // Another format's event fails at once; Anthropic's own future event types are ignored,
          // as its versioning policy asks of clients.
          formatMismatch(event, 'anthropic');
          return;
      }
    },
  };
}
