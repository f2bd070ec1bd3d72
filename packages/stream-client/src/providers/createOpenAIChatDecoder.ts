import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { startPart } from './startPart.js';
import type { FinishReason, Source, StreamPart } from './StreamPart.js';
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
  delta?: ChatDelta;
  finish_reason?: string | null;
}

interface ChatDelta {
  content?: string | null;
  refusal?: string | null;
  reasoning_content?: string | null;
  /** Groq, OpenRouter and vLLM send reasoning here rather than in `reasoning_content`. */
  reasoning?: string | null;
  tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }>;
  /** OpenRouter's web plugin (and OpenAI's search models): the pages the answer cites. */
  annotations?: Array<{
    type?: string;
    url_citation?: { url?: string; title?: string; content?: string; start_index?: number; end_index?: number };
  }>;
  /** Groq's compound models: tools its servers ran (search, code), first asked, then with output. */
  executed_tools?: Array<{ index?: number; type?: string; arguments?: string; output?: string }>;
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
  // Azure's first chunk has an empty id and model: each is taken from the first chunk that has it.
  let responseId = '';
  let model = '';
  let finished = false;
  // Groq's executed tools, by index: asked (call emitted), then answered (result emitted).
  const executedTools = new Map<number, { id: string; answered: boolean }>();
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

  function emitCitation(annotation: NonNullable<ChatDelta['annotations']>[number], emit: (part: StreamPart) => void) {
    const citation = annotation?.url_citation;
    if (annotation?.type !== 'url_citation' || citation == null || typeof citation.url !== 'string') return;
    const source: Source = { url: citation.url };
    if (typeof citation.title === 'string' && citation.title !== '') source.title = citation.title;
    if (typeof citation.content === 'string' && citation.content !== '') source.citedText = citation.content;
    const { start_index: start, end_index: end } = citation;
    // Offsets into the message; OpenRouter sends 0 and 0 when it does not know.
    if (Number.isInteger(start) && Number.isInteger(end) && end! > start! && start! >= 0) {
      source.textRange = { start: start!, end: end! };
    }
    emit({ type: 'source', source });
  }

  function emitExecutedTool(tool: NonNullable<ChatDelta['executed_tools']>[number], emit: (part: StreamPart) => void) {
    if (tool == null) return;
    const index = Number.isInteger(tool.index) ? tool.index! : executedTools.size;
    let known = executedTools.get(index);
    if (known === undefined) {
      known = { id: `executed_${index}`, answered: false };
      executedTools.set(index, known);
      const name = typeof tool.type === 'string' ? tool.type : 'tool';
      const input = typeof tool.arguments === 'string' ? (parseToolArguments(tool.arguments) ?? tool.arguments) : {};
      emit({ type: 'server-tool-call', call: { id: known.id, name, input } });
    }
    if (!known.answered && typeof tool.output === 'string') {
      known.answered = true;
      emit({ type: 'server-tool-result', id: known.id, output: tool.output });
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
      const id = typeof chunk.id === 'string' && responseId === '' ? chunk.id : '';
      const chunkModel = typeof chunk.model === 'string' && model === '' ? chunk.model : '';
      if (id !== '' || chunkModel !== '') {
        if (id !== '') responseId = id;
        if (chunkModel !== '') model = chunkModel;
        emit(startPart(id === '' ? undefined : id, chunkModel === '' ? undefined : chunkModel));
      }
      const choices = chunk.choices;
      if (choices !== undefined) {
        for (const entry of choices) {
          const choice = entry.index ?? 0;
          const delta = entry.delta;
          if (delta != null) {
            const reasoning =
              typeof delta.reasoning_content === 'string' && delta.reasoning_content !== ''
                ? delta.reasoning_content
                : delta.reasoning;
            if (typeof reasoning === 'string' && reasoning !== '') emit({ type: 'reasoning-delta', text: reasoning });
            if (choice === 0 && Array.isArray(delta.annotations)) {
              for (const annotation of delta.annotations) emitCitation(annotation, emit);
            }
            if (typeof delta.content === 'string' && delta.content !== '') {
              emit(
                choice === 0
                  ? { type: 'text-delta', text: delta.content }
                  : { type: 'text-delta', text: delta.content, choice },
              );
            }
            if (choice === 0 && Array.isArray(delta.executed_tools)) {
              for (const tool of delta.executed_tools) emitExecutedTool(tool, emit);
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
