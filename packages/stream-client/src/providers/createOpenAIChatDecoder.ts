import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { startPart } from './startPart.js';
import type { FinishReason, StreamPart } from './StreamPart.js';
import { usagePart } from './usagePart.js';

interface ChatChunk {
  type?: unknown;
  id?: string;
  model?: string;
  choices?: ChatChoice[];
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null;
  error?: { message?: string; type?: string; code?: string | number | null };
}

interface ChatChoice {
  index?: number;
  delta?: {
    content?: string | null;
    refusal?: string | null;
    reasoning_content?: string | null;
    tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
  };
  finish_reason?: string | null;
}

interface PendingToolCall {
  id: string;
  name: string;
  argumentsText: string;
}

const finishReasons: Record<string, FinishReason> = {
  stop: 'stop',
  length: 'length',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
  content_filter: 'content-filter',
};

/**
 * Decodes OpenAI Chat Completions streams (`stream: true`), and the many servers that copy them:
 * text, refusals, tool calls assembled by index, `n > 1` choices kept apart, the usage chunk of
 * `stream_options.include_usage`, `[DONE]`, and `{"error": ...}` objects sent mid-stream.
 */
export function createOpenAIChatDecoder(): Decoder {
  let started = false;
  let finished = false;
  // Tool calls in progress, per choice, by the index OpenAI gives each call.
  const toolCalls = new Map<number, Map<number, PendingToolCall>>();

  function finishToolCalls(choice: number, emit: (part: StreamPart) => void): void {
    const calls = toolCalls.get(choice);
    if (calls === undefined) return;
    toolCalls.delete(choice);
    for (const call of calls.values()) {
      emit({
        type: 'tool-call',
        toolCall: { ...call, arguments: parseToolArguments(call.argumentsText), choice },
      });
    }
  }

  return {
    format: 'openai',
    decode(event, emit) {
      if (event.data === '[DONE]') {
        for (const choice of toolCalls.keys()) finishToolCalls(choice, emit);
        if (!finished) {
          // Some compatible servers end with [DONE] and no finish_reason; the stream still ended whole.
          finished = true;
          emit({ type: 'finish', finishReason: 'other' });
        }
        return;
      }
      // OpenAI never names its events: a named one may be another format's, which fails at once.
      if (event.type !== 'message') formatMismatch(event, 'openai');
      const chunk = JSON.parse(event.data) as ChatChunk;
      if (chunk.type !== undefined && chunk.choices === undefined) formatMismatch(event, 'openai');
      if (chunk.error != null) {
        const errorType = chunk.error.type ?? (chunk.error.code == null ? undefined : String(chunk.error.code));
        emit(errorPart(chunk.error.message, errorType));
        return;
      }
      if (!started && (chunk.id !== undefined || chunk.model !== undefined)) {
        started = true;
        emit(startPart(chunk.id, chunk.model));
      }
      const choices = chunk.choices;
      if (choices !== undefined) {
        for (const entry of choices) {
          const choice = entry.index ?? 0;
          const delta = entry.delta;
          if (delta != null) {
            if (typeof delta.content === 'string' && delta.content !== '') {
              emit(
                choice === 0
                  ? { type: 'text-delta', text: delta.content }
                  : { type: 'text-delta', text: delta.content, choice },
              );
            }
            if (typeof delta.reasoning_content === 'string' && delta.reasoning_content !== '') {
              emit({ type: 'reasoning-delta', text: delta.reasoning_content });
            }
            if (typeof delta.refusal === 'string' && delta.refusal !== '') {
              emit(
                choice === 0
                  ? { type: 'refusal-delta', text: delta.refusal }
                  : { type: 'refusal-delta', text: delta.refusal, choice },
              );
            }
            if (delta.tool_calls !== undefined) {
              let calls = toolCalls.get(choice);
              if (calls === undefined) toolCalls.set(choice, (calls = new Map()));
              for (const toolCall of delta.tool_calls) {
                const index = toolCall.index ?? 0;
                let call = calls.get(index);
                if (call === undefined) {
                  call = {
                    id: toolCall.id ?? `call_${choice}_${index}`,
                    name: toolCall.function?.name ?? '',
                    argumentsText: '',
                  };
                  calls.set(index, call);
                  emit(
                    choice === 0
                      ? { type: 'tool-call-start', id: call.id, name: call.name }
                      : { type: 'tool-call-start', id: call.id, name: call.name, choice },
                  );
                }
                const argumentsDelta = toolCall.function?.arguments;
                if (argumentsDelta !== undefined && argumentsDelta !== '') {
                  call.argumentsText += argumentsDelta;
                  emit({ type: 'tool-call-delta', id: call.id, argumentsDelta });
                }
              }
            }
          }
          const rawFinishReason = entry.finish_reason;
          if (rawFinishReason != null) {
            finishToolCalls(choice, emit);
            if (choice === 0) finished = true;
            const finishReason = finishReasons[rawFinishReason] ?? 'other';
            emit(
              choice === 0
                ? { type: 'finish', finishReason, rawFinishReason }
                : { type: 'finish', finishReason, rawFinishReason, choice },
            );
          }
        }
      }
      if (chunk.usage != null) emit(usagePart(chunk.usage.prompt_tokens, chunk.usage.completion_tokens));
    },
  };
}
