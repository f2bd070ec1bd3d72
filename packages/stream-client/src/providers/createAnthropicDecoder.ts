import type { Decoder } from './Decoder.js';
import { errorPart } from './errorPart.js';
import { formatMismatch } from './formatMismatch.js';
import { parseToolArguments } from './parseToolArguments.js';
import { read } from './read.js';
import { startPart } from './startPart.js';
import type { FinishReason, Source, StreamPart } from './StreamPart.js';
import { usagePart } from './usagePart.js';

type Fields = Record<string, unknown>;

interface AnthropicEvent {
  type?: string | undefined;
  index?: number | undefined;
  message?: { id?: string; model?: string; usage?: { input_tokens?: number; output_tokens?: number } } | undefined;
  content_block?: (Fields & { type?: string; id?: string; name?: string }) | undefined;
  delta?: {
    type?: string | undefined;
    text?: string | undefined;
    partial_json?: string | undefined;
    thinking?: string | undefined;
    signature?: string | undefined;
    content?: string | undefined;
    citation?: Fields | undefined;
    stop_reason?: string | null | undefined;
  };
  usage?: { input_tokens?: number; output_tokens?: number } | undefined;
  error?: { type?: string; message?: string } | undefined;
}

/** A content block being streamed, and what its deltas have built so far. */
interface OpenBlock {
  /** The block as `content_block_start` gave it. */
  start: Fields & { type?: string; id?: string; name?: string };
  /** Text, thinking, a tool's JSON input or a compaction summary, as the deltas build it. */
  built: string;
  signature: string;
  /** Where a text block begins in the reply's text, and the sources cited in it so far. */
  begins: number;
  sources: Source[];
}

const finishReasons: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Blocks of tools Anthropic runs itself: its own (web search, code execution...) and MCP servers'. */
const serverToolBlocks: ReadonlySet<unknown> = new Set(['server_tool_use', 'mcp_tool_use']);

/**
 * Decodes Anthropic Messages streams: `message_start` (input usage), text (each content block a
 * block of the reply), thinking, `tool_use` blocks assembled from `input_json_delta`, the tools
 * Anthropic runs itself (`server_tool_use`, `mcp_tool_use`) as server tool calls and their result
 * blocks as their output, `citations_delta` and the pages of web search results as sources,
 * `message_delta` (stop reason, output usage), and `message_stop` as the terminal signal, just
 * after the content blocks needed to continue the turn (thinking with its signature, redacted
 * thinking, tool use, server tools). `ping` is ignored, and `error` events become error parts.
 */
export function createAnthropicDecoder(): Decoder {
  const open = new Map<number, OpenBlock>();
  // The finished content blocks, in order, as the continuation sends them back.
  const content: Fields[] = [];
  let needsContinuation = false;
  let stopReason: string | undefined;
  // The reply's text so far, across blocks: where each text block, and so its citations, begins.
  let textLength = 0;

  function startBlock(index: number, block: NonNullable<AnthropicEvent['content_block']>, emit: Emit): void {
    open.set(index, {
      start: block,
      built: '',
      signature: read.anyString(block['signature']) ?? '',
      begins: textLength,
      sources: [],
    });
    if (block.type === 'tool_use') {
      emit({ type: 'tool-call-start', id: toolId(block, index), name: read.anyString(block.name) ?? '' });
    } else if (typeof block.type === 'string' && block.type.endsWith('_tool_result')) {
      // A server tool's result arrives whole, in the block's start.
      const id = read.anyString(block['tool_use_id']) ?? '';
      const output = block['content'];
      const failed = block['is_error'] === true || isErrorResult(output);
      emit(withBlock({ type: 'server-tool-result', id, output, ...(failed ? { isError: true } : {}) }, index));
      // The pages a web search found are sources too, as the Responses API's search sources are;
      // citations of them come later, as sources with the text they support.
      if (block.type === 'web_search_tool_result' && Array.isArray(output)) {
        for (const result of output as unknown[]) {
          const source = searchResult(result);
          if (source !== undefined) emit(withBlock({ type: 'source', source }, index));
        }
      }
    }
  }

  function delta(index: number, data: NonNullable<AnthropicEvent['delta']>, emit: Emit): void {
    const block = open.get(index);
    switch (data.type) {
      case 'text_delta': {
        const text = read.string(data.text);
        if (text === undefined) return;
        if (block !== undefined) block.built += text;
        textLength += text.length;
        emit(withBlock({ type: 'text-delta', text }, index));
        return;
      }
      case 'thinking_delta': {
        const thinking = read.string(data.thinking);
        if (thinking === undefined) return;
        if (block !== undefined) block.built += thinking;
        emit(withBlock({ type: 'reasoning-delta', text: thinking }, index));
        return;
      }
      case 'input_json_delta': {
        const json = read.string(data.partial_json);
        if (block === undefined || json === undefined) return;
        block.built += json;
        if (block.start.type === 'tool_use') {
          emit({ type: 'tool-call-delta', id: toolId(block.start, index), argumentsDelta: json });
        }
        return;
      }
      case 'signature_delta':
        if (block !== undefined && typeof data.signature === 'string') block.signature += data.signature;
        return;
      case 'compaction_delta':
        if (block !== undefined && typeof data.content === 'string') block.built += data.content;
        return;
      case 'citations_delta': {
        // A citation supports its text block: it is emitted when the block ends and its range is known.
        const source = citation(data.citation);
        if (source === undefined) return;
        if (block?.start.type === 'text') block.sources.push(source);
        else emit(withBlock({ type: 'source', source }, index));
        return;
      }
      default:
        return;
    }
  }

  function stopBlock(index: number, emit: Emit): void {
    const block = open.get(index);
    if (block === undefined) return;
    open.delete(index);
    const { start } = block;
    switch (start.type) {
      case 'text':
        for (const source of block.sources) {
          emit(
            withBlock(
              { type: 'source', source: { ...source, textRange: { start: block.begins, end: textLength } } },
              index,
            ),
          );
        }
        // The API refuses an empty text block sent back.
        if (block.built !== '') content.push({ type: 'text', text: block.built });
        return;
      case 'thinking':
        needsContinuation = true;
        content.push({ type: 'thinking', thinking: block.built, signature: block.signature });
        return;
      case 'tool_use': {
        needsContinuation = true;
        const id = toolId(start, index);
        const name = read.anyString(start.name) ?? '';
        const argumentsText = block.built;
        const parsed = parseToolArguments(argumentsText);
        emit({ type: 'tool-call', toolCall: { id, name, arguments: parsed, argumentsText, choice: 0 } });
        content.push({ type: 'tool_use', id, name, input: parsed ?? {} });
        return;
      }
      case 'compaction':
        needsContinuation = true;
        content.push({ type: 'compaction', content: block.built });
        return;
      default: {
        needsContinuation = true;
        if (!serverToolBlocks.has(start.type)) {
          // Redacted thinking, a server tool's result, or a block this decoder does not know: as it came.
          content.push(start);
          return;
        }
        const input = block.built === '' ? (start['input'] ?? {}) : (parseToolArguments(block.built) ?? block.built);
        const id = toolId(start, index);
        const name = read.anyString(start.name) ?? '';
        const server = read.string(start['server_name']);
        emit(
          withBlock(
            { type: 'server-tool-call', call: { id, name, input, ...(server === undefined ? {} : { server }) } },
            index,
          ),
        );
        content.push({ ...start, input });
      }
    }
  }

  return {
    format: 'anthropic',
    decode(event, emit) {
      if (event.type === 'ping') return;
      if (event.data === '[DONE]') formatMismatch(event, 'anthropic');
      const data = read.object(JSON.parse(event.data)) as AnthropicEvent | undefined;
      if (data === undefined) throw new SyntaxError('an Anthropic event must be a JSON object');
      const index = read.index(data.index, 0, 'content block');
      switch (data.type ?? event.type) {
        case 'content_block_delta': {
          const fields = read.object(data.delta);
          if (fields !== undefined) delta(index, fields, emit);
          return;
        }
        case 'content_block_start': {
          const block = read.object(data.content_block);
          if (block !== undefined) startBlock(index, block, emit);
          return;
        }
        case 'content_block_stop':
          stopBlock(index, emit);
          return;
        case 'message_start': {
          const message = read.object(data.message) ?? {};
          emit(startPart(message['id'], message['model']));
          const usage = read.object(message['usage']);
          if (usage !== undefined) emit(usagePart(usage['input_tokens'], usage['output_tokens']));
          return;
        }
        case 'message_delta': {
          const reason = read.string(read.object(data.delta)?.['stop_reason']);
          if (reason !== undefined) stopReason = reason;
          const usage = read.object(data.usage);
          if (usage !== undefined) emit(usagePart(usage['input_tokens'], usage['output_tokens']));
          return;
        }
        case 'message_stop':
          // Plain text needs nothing but itself to be sent back; anything else goes back as it came.
          if (needsContinuation) emit({ type: 'continuation', continuation: { provider: 'anthropic', content } });
          emit({
            type: 'finish',
            finishReason: read.own(finishReasons, stopReason) ?? 'other',
            ...(stopReason === undefined ? {} : { rawFinishReason: stopReason }),
          });
          return;
        case 'error': {
          const error = read.object(data.error);
          emit(errorPart(error?.['message'], error?.['type']));
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

type Emit = (part: StreamPart) => void;

function toolId(block: { id?: unknown }, index: number): string {
  return read.string(block.id) ?? `toolu_${index}`;
}

/** Whether a server tool's result reports a failure (`web_fetch_tool_result_error`, an `error_code`). */
function isErrorResult(output: unknown): boolean {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return false;
  const { type, error_code: code } = output as Fields;
  return (typeof type === 'string' && type.endsWith('_error')) || typeof code === 'string';
}

/** A citation as a source: a web search result, or a place in a document the request carried. */
function citation(value: Fields | undefined): Source | undefined {
  if (value == null || typeof value !== 'object') return undefined;
  const source: Source = {};
  const url = typeof value['url'] === 'string' ? value['url'] : value['source'];
  if (typeof url === 'string' && url !== '') source.url = url;
  const title = typeof value['title'] === 'string' ? value['title'] : value['document_title'];
  if (typeof title === 'string' && title !== '') source.title = title;
  if (typeof value['cited_text'] === 'string' && value['cited_text'] !== '') source.citedText = value['cited_text'];
  return Object.keys(source).length === 0 ? undefined : source;
}

/** A web search result (`web_search_result`: url, title, page age, encrypted content) as a source. */
function searchResult(value: unknown): Source | undefined {
  const result = read.object(value);
  const url = read.string(result?.['url']);
  if (result?.['type'] !== 'web_search_result' || url === undefined) return undefined;
  const title = read.string(result['title']);
  return title === undefined ? { url } : { url, title };
}

function withBlock<Part extends StreamPart>(part: Part, index: number): Part {
  return index > 0 ? { ...part, block: index } : part;
}
