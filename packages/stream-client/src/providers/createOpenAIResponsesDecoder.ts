import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { read } from './read.js';
import { startPart } from './startPart.js';
import type { FinishReason, ServerToolCall, Source, StreamPart, ToolRequest } from './StreamPart.js';
import { usagePart } from './usagePart.js';

type Fields = Record<string, unknown>;

/**
 * A Responses event as it arrives: every field may be missing or of any type, so each is read
 * through `read` (the decoder checks `output_index`, `response` and `item` first of all).
 */
interface ResponsesEvent {
  type?: unknown | undefined;
  delta?: unknown | undefined;
  item_id?: unknown | undefined;
  output_index?: number | undefined;
  content_index?: unknown | undefined;
  item?:
    (Fields & { type?: unknown; id?: unknown; call_id?: unknown; name?: unknown; arguments?: unknown }) | undefined;
  annotation?: unknown | undefined;
  response?: Fields | undefined;
  code?: unknown | undefined;
  message?: unknown | undefined;
  error?: unknown | undefined;
}

const incompleteReasons: Readonly<Record<string, FinishReason>> = {
  max_output_tokens: 'length',
  content_filter: 'content-filter',
};

/** The name each tool the provider runs itself goes by, by the type of its output item. */
const serverToolNames: Readonly<Record<string, string>> = {
  web_search_call: 'web_search',
  file_search_call: 'file_search',
  code_interpreter_call: 'code_interpreter',
  image_generation_call: 'image_generation',
  mcp_list_tools: 'mcp_list_tools',
};

/**
 * Decodes OpenAI Responses API streams: output text (each output item a block), refusals,
 * reasoning summaries and text, function calls assembled from argument deltas, citations
 * (`annotation.added`) and the pages a web search consulted as sources, the tools OpenAI runs
 * itself (web and file search, code interpreter, image generation, MCP calls) as server tool calls
 * with their output, the items that wait for the client (custom tools, local shell, apply patch,
 * tool search, MCP approvals) as tool requests, the output items needed to continue the turn,
 * `response.completed` (usage), `response.incomplete`, `response.failed` and `error` events. A
 * trailing `[DONE]` (OpenRouter) is ignored, and a resumed stream without `response.created` takes
 * its id and model from later events.
 */
export function createOpenAIResponsesDecoder(): Decoder {
  // Function calls in progress, by output item id.
  const calls = new Map<string, { id: string; name: string; argumentsText: string }>();
  // Where each output text part begins in the reply's text, for the offsets of its citations.
  const textParts = new Map<string, number>();
  // The output items as they finish, by index, for the continuation when the response has none. A
  // Map, not an array: the index is the provider's number, and an array would stretch to it (an
  // `output_index` of 100000000 once cost seconds of work for one 138-byte event).
  const outputItems = new Map<number, Fields>();
  // Output items whose citations came as `annotation.added` events, so their finished item's
  // annotations are not sources a second time.
  const annotated = new Set<number>();
  let textLength = 0;
  let started = false;

  function start(response: Fields, emit: (part: StreamPart) => void): void {
    if (started || (read.string(response['id']) === undefined && read.string(response['model']) === undefined)) return;
    started = true;
    emit(startPart(response['id'], response['model']));
  }

  function emitUsage(response: ResponsesEvent['response'], emit: (part: StreamPart) => void): void {
    const usage = read.object(response?.['usage']);
    if (usage !== undefined) emit(usagePart(usage['input_tokens'], usage['output_tokens']));
  }

  /** Where the text part an event belongs to begins in the reply's text. */
  function textPartStart(data: ResponsesEvent): number {
    const key = `${data.output_index ?? 0}:${read.index(data.content_index, 0, 'content')}`;
    let begins = textParts.get(key);
    if (begins === undefined) textParts.set(key, (begins = textLength));
    return begins;
  }

  function emitCitation(data: ResponsesEvent, emit: (part: StreamPart) => void): void {
    const annotation = read.object(data.annotation);
    if (annotation === undefined) return;
    if (isOffset(data.output_index)) annotated.add(data.output_index);
    const source: Source = {};
    copyString(annotation, 'url', source, 'url');
    copyString(annotation, 'title', source, 'title');
    copyString(annotation, 'file_id', source, 'fileId');
    copyString(annotation, 'filename', source, 'filename');
    if (Object.keys(source).length === 0) return;
    const begins = textPartStart(data);
    const { start_index: first, end_index: last, index } = annotation;
    if (isOffset(first) && isOffset(last) && last >= first)
      source.textRange = { start: begins + first, end: begins + last };
    else if (isOffset(index)) source.textRange = { start: begins + index, end: begins + index };
    emit(withBlock({ type: 'source', source }, data.output_index));
  }

  function emitItem(data: ResponsesEvent, emit: (part: StreamPart) => void): void {
    const item = data.item;
    if (item == null || typeof item.type !== 'string') return;
    if (isOffset(data.output_index)) outputItems.set(data.output_index, item);
    if (item.type === 'message') {
      // Some servers give a message's citations only in the finished item.
      if (isOffset(data.output_index) && annotated.has(data.output_index)) return;
      const parts = Array.isArray(item['content']) ? (item['content'] as unknown[]) : [];
      parts.forEach((part, contentIndex) => {
        const annotations = (part as Fields | null)?.['annotations'];
        if (!Array.isArray(annotations)) return;
        for (const annotation of annotations as Fields[]) {
          emitCitation({ ...data, content_index: contentIndex, annotation }, emit);
        }
      });
      return;
    }
    if (item.type === 'function_call') {
      const itemId = read.string(item.id);
      if (itemId === undefined) return;
      const call = calls.get(itemId);
      calls.delete(itemId);
      // The finished item carries the whole arguments text: it wins over what the deltas built.
      const argumentsText = read.anyString(item.arguments) ?? call?.argumentsText ?? '';
      emit({
        type: 'tool-call',
        toolCall: {
          id: call?.id ?? read.string(item.call_id) ?? itemId,
          name: read.anyString(item.name) ?? call?.name ?? '',
          arguments: parseToolArguments(argumentsText),
          argumentsText,
          choice: 0,
        },
      });
      return;
    }
    const request = toolRequest(item);
    if (request !== undefined) {
      emit({ type: 'tool-request', request });
      return;
    }
    const call = serverToolCall(item);
    if (call === undefined) return;
    emit(withBlock({ type: 'server-tool-call', call }, data.output_index));
    // A generated image is also a file of the reply, to show as a picture.
    const image = item.type === 'image_generation_call' ? read.string(item['result']) : undefined;
    if (image !== undefined && image !== '') {
      const format = read.string(item['output_format']) ?? 'png';
      const mediaType = /^[a-z0-9.+-]+$/.test(format) ? `image/${format}` : 'image/png';
      emit({ type: 'file', mediaType, url: `data:${mediaType};base64,${image}` });
    }
    // The pages a web search consulted (sent when the request includes
    // `web_search_call.action.sources`) are sources, as Anthropic's search results are.
    if (item.type !== 'web_search_call') return;
    const sources = read.object(item['action'])?.['sources'];
    if (!Array.isArray(sources)) return;
    for (const value of sources as unknown[]) {
      const found = read.object(value);
      const url = read.string(found?.['url']);
      if (url === undefined) continue;
      const title = read.string(found?.['title']);
      emit(withBlock({ type: 'source', source: title === undefined ? { url } : { url, title } }, data.output_index));
    }
  }

  /** The output items to send back to continue the turn, when it holds more than messages. */
  function emitContinuation(response: ResponsesEvent['response'], emit: (part: StreamPart) => void): void {
    const given = response?.['output'];
    let output: unknown[] = Array.isArray(given) ? given : [];
    if (output.length === 0) {
      // The items seen, in output order: sorted once per reply, over the items there are.
      // oxlint-disable-next-line unicorn/no-array-sort -- a fresh array; toSorted is past the build's ES2022
      output = [...outputItems.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    }
    const items = output.filter((item): item is Fields => item != null && typeof item === 'object');
    if (!items.some((item) => item['type'] !== 'message')) return;
    // A generated image is a megabyte of base64 the reply already holds (in its server tool call's
    // output): the continuation keeps the item with an empty result, as the API allows.
    const continuation = items.map((item) =>
      item['type'] === 'image_generation_call' && item['result'] != null ? { ...item, result: null } : item,
    );
    emit({ type: 'continuation', continuation: { provider: 'openai-responses', output: continuation } });
  }

  return {
    format: 'openai-responses',
    decode(event, emit) {
      // Some gateways (OpenRouter) end a Responses stream with Chat Completions' [DONE] as well.
      if (event.data === '[DONE]') return;
      const data = read.object(JSON.parse(event.data)) as ResponsesEvent | undefined;
      if (data === undefined) throw new SyntaxError('a Responses event must be a JSON object');
      // Fields read as typed below are checked first: anything else is as good as absent.
      const delta = read.string(data.delta);
      if (data.output_index !== undefined) data.output_index = read.index(data.output_index, 0, 'output');
      data.response = read.object(data.response) as ResponsesEvent['response'];
      data.item = read.object(data.item) as ResponsesEvent['item'];
      if (data.response !== undefined) start(data.response, emit);
      switch (data.type ?? event.type) {
        case 'response.output_text.delta':
          if (delta !== undefined) {
            textPartStart(data);
            textLength += delta.length;
            emit(withBlock({ type: 'text-delta', text: delta }, data.output_index));
          }
          return;
        case 'response.output_text.annotation.added':
          emitCitation(data, emit);
          return;
        case 'response.refusal.delta':
          if (delta !== undefined) emit({ type: 'refusal-delta', text: delta });
          return;
        case 'response.reasoning_summary_text.delta':
        case 'response.reasoning_text.delta':
          if (delta !== undefined) emit(withBlock({ type: 'reasoning-delta', text: delta }, data.output_index));
          return;
        case 'response.function_call_arguments.delta': {
          const itemId = read.string(data.item_id);
          const call = itemId === undefined ? undefined : calls.get(itemId);
          if (call !== undefined && delta !== undefined) {
            call.argumentsText += delta;
            emit({ type: 'tool-call-delta', id: call.id, argumentsDelta: delta });
          }
          return;
        }
        case 'response.output_item.added': {
          const item = data.item;
          const itemId = read.string(item?.id);
          if (item?.type === 'function_call' && itemId !== undefined) {
            const call = {
              id: read.string(item.call_id) ?? itemId,
              name: read.anyString(item.name) ?? '',
              argumentsText: '',
            };
            calls.set(itemId, call);
            emit({ type: 'tool-call-start', id: call.id, name: call.name });
          }
          return;
        }
        case 'response.output_item.done':
          emitItem(data, emit);
          return;
        case 'response.completed': {
          emitUsage(data.response, emit);
          emitContinuation(data.response, emit);
          const given = data.response?.['output'];
          const output: unknown[] = Array.isArray(given) ? given : [];
          const calledTools = output.some((item) => read.object(item)?.['type'] === 'function_call');
          emit({ type: 'finish', finishReason: calledTools ? 'tool-calls' : 'stop', rawFinishReason: 'completed' });
          return;
        }
        case 'response.incomplete': {
          emitUsage(data.response, emit);
          const reason = read.string(read.object(data.response?.['incomplete_details'])?.['reason']);
          emit({
            type: 'finish',
            finishReason: read.own(incompleteReasons, reason) ?? 'other',
            rawFinishReason: reason ?? 'incomplete',
          });
          return;
        }
        case 'response.failed': {
          const error = read.object(data.response?.['error']);
          emit(errorPart(error?.['message'], error?.['code'], error?.['type']));
          return;
        }
        case 'error': {
          // The documented shape puts code and message beside the type; OpenAI sends them nested.
          const nested = read.object(data.error);
          emit(errorPart(nested?.['message'] ?? data.message, nested?.['type'], nested?.['code'], data.code));
          return;
        }
        default:
          formatMismatch(event, 'openai-responses');
          return;
      }
    },
  };
}

/** An item that waits for the client (its own tool, a shell, a patch, a tool search, an approval), as a request. */
function toolRequest(item: Fields): ToolRequest | undefined {
  const id = read.string(item.call_id) ?? read.anyString(item.id) ?? '';
  const name = read.anyString(item.name) ?? '';
  switch (item.type) {
    case 'custom_tool_call':
      return { kind: 'custom', id, name, input: item['input'] };
    case 'local_shell_call':
      return { kind: 'local-shell', id, name: 'local_shell', input: item['action'] };
    case 'apply_patch_call':
      return { kind: 'apply-patch', id, name: 'apply_patch', input: item['operation'] };
    case 'tool_search_call':
      if (item['execution'] !== 'client') return undefined;
      return { kind: 'tool-search', id, name: 'tool_search', input: item['arguments'] };
    case 'mcp_approval_request': {
      const request: ToolRequest = {
        kind: 'mcp-approval',
        id: read.anyString(item.id) ?? '',
        name,
        input: mcpArguments(item['arguments']),
      };
      const server = read.string(item['server_label']);
      if (server !== undefined) request.server = server;
      return request;
    }
    default:
      return undefined;
  }
}

/** An item of a tool OpenAI ran itself, as a server tool call with its output. */
function serverToolCall(item: Fields): ServerToolCall | undefined {
  const { type, id: rawId, status, ...fields } = item;
  const id = read.anyString(rawId) ?? '';
  if (type === 'mcp_call') {
    const call: ServerToolCall = {
      id,
      name: read.anyString(item.name) ?? '',
      input: mcpArguments(fields['arguments']),
      output: fields['output'] ?? null,
    };
    if (fields['error'] != null) {
      call.isError = true;
      call.output = fields['error'];
    }
    const server = read.string(fields['server_label']);
    if (server !== undefined) call.server = server;
    return call;
  }
  const name = type === 'tool_search_call' ? 'tool_search' : read.own(serverToolNames, type);
  if (name === undefined) return undefined;
  // What the model asked of the tool, and the rest of the item (results, logs, the image) as its output.
  const inputKeys = ['action', 'queries', 'code', 'arguments'];
  // Object.fromEntries defines each key as the object's own: a "__proto__" key the provider sent
  // stays a key, where assigning it would have replaced the object's prototype.
  const entries = Object.entries(fields);
  const input: Fields = Object.fromEntries(entries.filter(([key]) => inputKeys.includes(key)));
  const output: Fields = Object.fromEntries(entries.filter(([key]) => !inputKeys.includes(key)));
  if (status !== undefined) output['status'] = status;
  const call: ServerToolCall = { id, name, input, output };
  if (status === 'failed') call.isError = true;
  const server = read.string(fields['server_label']);
  if (server !== undefined) call.server = server;
  return call;
}

function mcpArguments(value: unknown): unknown {
  return typeof value === 'string' ? (parseToolArguments(value) ?? value) : value;
}

function withBlock<Part extends StreamPart>(part: Part, index: number | undefined): Part {
  return isOffset(index) && index > 0 ? { ...part, block: index } : part;
}

function isOffset(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function copyString<Key extends keyof Source>(from: Fields, key: string, to: Source, as: Key): void {
  const value = from[key];
  if (typeof value === 'string' && value !== '') (to as Record<string, unknown>)[as] = value;
}
