import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { read } from './read.js';
import { startPart } from './startPart.js';
import type { FinishReason, Source, StreamPart } from './StreamPart.js';
import { usagePart } from './usagePart.js';

interface ChatChunk {
  type?: unknown | undefined;
  id?: string | undefined;
  model?: string | undefined;
  choices?: ChatChoice[] | undefined;
  usage?: { prompt_tokens?: number; completion_tokens?: number } | null | undefined;
  error?: { message?: string; type?: string; code?: string | number | null } | undefined;
}

interface ChatChoice {
  index?: number | undefined;
  delta?: ChatDelta | undefined;
  finish_reason?: string | null | undefined;
}

interface ChatDelta {
  content?: string | null | undefined;
  refusal?: string | null | undefined;
  reasoning_content?: string | null | undefined;
  /** Groq, OpenRouter and vLLM send reasoning here rather than in `reasoning_content`. */
  reasoning?: string | null | undefined;
  tool_calls?: Array<{ index?: number; id?: string; function?: { name?: string; arguments?: string } }> | undefined;
  /** OpenRouter's web plugin (and OpenAI's search models): the pages the answer cites. */
  annotations?: Array<{
    type?: string | undefined;
    url_citation?:
      { url?: string; title?: string; content?: string; start_index?: number; end_index?: number } | undefined;
  }>;
  /** Groq's compound models: tools its servers ran (search, code), first asked, then with output. */
  executed_tools?: Array<{ index?: number; type?: string; arguments?: string; output?: string }> | undefined;
}

interface PendingToolCall {
  id: string;
  name: string;
  argumentsText: string;
}

const finishReasons: Readonly<Record<string, FinishReason>> = {
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
      const chunk = read.object(JSON.parse(event.data)) as ChatChunk | undefined;
      if (chunk === undefined) throw new SyntaxError('a Chat Completions chunk must be a JSON object');
      if (chunk.type !== undefined && chunk.choices === undefined) formatMismatch(event, 'openai');
      if (chunk.error != null) {
        const error = read.object(chunk.error);
        emit(errorPart(error === undefined ? chunk.error : error['message'], error?.['type'], error?.['code']));
        return;
      }
      const id = responseId === '' ? (read.string(chunk.id) ?? '') : '';
      const chunkModel = model === '' ? (read.string(chunk.model) ?? '') : '';
      if (id !== '' || chunkModel !== '') {
        if (id !== '') responseId = id;
        if (chunkModel !== '') model = chunkModel;
        emit(startPart(id, chunkModel));
      }
      if (Array.isArray(chunk.choices)) {
        for (const value of chunk.choices as unknown[]) {
          const entry = read.object(value) as ChatChoice | undefined;
          if (entry === undefined) continue;
          const choice = read.index(entry.index, 0, 'choice');
          const delta = read.object(entry.delta) as ChatDelta | undefined;
          if (delta !== undefined) decodeDelta(delta, choice, emit);
          if (entry.finish_reason != null) {
            finishToolCalls(choice, emit);
            if (choice === 0) finished = true;
            const raw = read.string(entry.finish_reason);
            const finish: StreamPart = { type: 'finish', finishReason: read.own(finishReasons, raw) ?? 'other' };
            if (raw !== undefined) finish.rawFinishReason = raw;
            if (choice !== 0) finish.choice = choice;
            emit(finish);
          }
        }
      }
      const usage = read.object(chunk.usage);
      if (usage !== undefined) emit(usagePart(usage['prompt_tokens'], usage['completion_tokens']));
    },
  };

  function decodeDelta(delta: ChatDelta, choice: number, emit: (part: StreamPart) => void): void {
    const reasoning = read.string(delta.reasoning_content) ?? read.string(delta.reasoning);
    if (reasoning !== undefined) emit({ type: 'reasoning-delta', text: reasoning });
    if (choice === 0 && Array.isArray(delta.annotations)) {
      for (const annotation of delta.annotations) emitCitation(annotation, emit);
    }
    const content = read.string(delta.content);
    if (content !== undefined) {
      emit(choice === 0 ? { type: 'text-delta', text: content } : { type: 'text-delta', text: content, choice });
    }
    if (choice === 0 && Array.isArray(delta.executed_tools)) {
      for (const tool of delta.executed_tools) emitExecutedTool(tool, emit);
    }
    const refusal = read.string(delta.refusal);
    if (refusal !== undefined) {
      emit(choice === 0 ? { type: 'refusal-delta', text: refusal } : { type: 'refusal-delta', text: refusal, choice });
    }
    if (!Array.isArray(delta.tool_calls)) return;
    let calls = toolCalls.get(choice);
    if (calls === undefined) toolCalls.set(choice, (calls = new Map()));
    for (const value of delta.tool_calls as unknown[]) {
      const toolCall = read.object(value);
      if (toolCall === undefined) continue;
      // Groq leaves the index out of a lone call: it is the first.
      const index = read.index(toolCall['index'], 0, 'tool call');
      const fields = read.object(toolCall['function']);
      let call = calls.get(index);
      if (call === undefined) {
        call = {
          id: read.string(toolCall['id']) ?? `call_${choice}_${index}`,
          name: read.anyString(fields?.['name']) ?? '',
          argumentsText: '',
        };
        calls.set(index, call);
        emit(
          choice === 0
            ? { type: 'tool-call-start', id: call.id, name: call.name }
            : { type: 'tool-call-start', id: call.id, name: call.name, choice },
        );
      }
      const argumentsDelta = read.string(fields?.['arguments']);
      if (argumentsDelta !== undefined) {
        call.argumentsText += argumentsDelta;
        emit({ type: 'tool-call-delta', id: call.id, argumentsDelta });
      }
    }
  }
}
