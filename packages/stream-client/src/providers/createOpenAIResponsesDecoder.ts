import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { startPart } from './startPart.js';
import type { FinishReason, StreamPart } from './StreamPart.js';
import { usagePart } from './usagePart.js';

interface ResponsesEvent {
  type?: string;
  delta?: string;
  item_id?: string;
  output_index?: number;
  item?: { type?: string; id?: string; call_id?: string; name?: string; arguments?: string };
  response?: {
    id?: string;
    model?: string;
    usage?: { input_tokens?: number; output_tokens?: number } | null;
    incomplete_details?: { reason?: string } | null;
    error?: { code?: string; message?: string } | null;
    output?: Array<{ type?: string }>;
  };
  code?: string | null;
  message?: string;
}

const incompleteReasons: Record<string, FinishReason> = {
  max_output_tokens: 'length',
  content_filter: 'content-filter',
};

/**
 * Decodes OpenAI Responses API streams: output text, refusals, reasoning summaries, function calls
 * assembled from argument deltas, `response.completed` (usage), `response.incomplete`,
 * `response.failed` and `error` events.
 */
export function createOpenAIResponsesDecoder(): Decoder {
  // Function calls in progress, by output item id.
  const calls = new Map<string, { id: string; name: string; argumentsText: string }>();

  function emitUsage(response: ResponsesEvent['response'], emit: (part: StreamPart) => void): void {
    const usage = response?.usage;
    if (usage != null) emit(usagePart(usage.input_tokens, usage.output_tokens));
  }

  return {
    format: 'openai-responses',
    decode(event, emit) {
      // Some gateways (OpenRouter) end a Responses stream with Chat Completions' [DONE] as well.
      if (event.data === '[DONE]') return;
      const data = JSON.parse(event.data) as ResponsesEvent;
      switch (data.type ?? event.type) {
        case 'response.output_text.delta':
          if (data.delta) emit({ type: 'text-delta', text: data.delta });
          return;
        case 'response.refusal.delta':
          if (data.delta) emit({ type: 'refusal-delta', text: data.delta });
          return;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (data.delta) emit({ type: 'reasoning-delta', text: data.delta });
          return;
        case 'response.function_call_arguments.delta': {
          const call = data.item_id === undefined ? undefined : calls.get(data.item_id);
          if (call !== undefined && data.delta) {
            call.argumentsText += data.delta;
            emit({ type: 'tool-call-delta', id: call.id, argumentsDelta: data.delta });
          }
          return;
        }
        case 'response.output_item.added': {
          const item = data.item;
          if (item?.type === 'function_call' && item.id !== undefined) {
            const call = { id: item.call_id ?? item.id, name: item.name ?? '', argumentsText: '' };
            calls.set(item.id, call);
            emit({ type: 'tool-call-start', id: call.id, name: call.name });
          }
          return;
        }
        case 'response.output_item.done': {
          const item = data.item;
          if (item?.type !== 'function_call' || item.id === undefined) return;
          const call = calls.get(item.id);
          calls.delete(item.id);
          // The finished item carries the whole arguments text: it wins over what the deltas built.
          const argumentsText = item.arguments ?? call?.argumentsText ?? '';
          emit({
            type: 'tool-call',
            toolCall: {
              id: call?.id ?? item.call_id ?? item.id,
              name: item.name ?? call?.name ?? '',
              arguments: parseToolArguments(argumentsText),
              argumentsText,
              choice: 0,
            },
          });
          return;
        }
        case 'response.created':
          emit(startPart(data.response?.id, data.response?.model));
          return;
        case 'response.completed': {
          emitUsage(data.response, emit);
          const calledTools = data.response?.output?.some((item) => item.type === 'function_call') === true;
          emit({ type: 'finish', finishReason: calledTools ? 'tool-calls' : 'stop', rawFinishReason: 'completed' });
          return;
        }
        case 'response.incomplete': {
          emitUsage(data.response, emit);
          const reason = data.response?.incomplete_details?.reason;
          emit({
            type: 'finish',
            finishReason: reason === undefined ? 'other' : (incompleteReasons[reason] ?? 'other'),
            rawFinishReason: reason ?? 'incomplete',
          });
          return;
        }
        case 'response.failed': {
          const error = data.response?.error;
          emit(errorPart(error?.message, error?.code ?? undefined));
          return;
        }
        case 'error':
          emit(errorPart(data.message, data.code ?? undefined));
          return;
        default:
          formatMismatch(event, 'openai-responses');
          return;
      }
    },
  };
}
