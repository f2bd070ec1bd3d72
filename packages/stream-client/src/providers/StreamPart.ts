import type { StreamErrorKind } from '../transport/StreamError.js';

/** Why a model stopped, the same word whichever provider answered. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

/** Token counts as the provider reported them. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

/** A tool (function) call the model made, with its arguments whole. */
export interface ToolCall {
  /** The provider's id for the call, to send back with its result. */
  id: string;
  /** The tool's name. */
  name: string;
  /** The arguments parsed from JSON, or `undefined` when the model wrote invalid JSON (see `argumentsText`). */
  arguments: unknown;
  /** The arguments exactly as the model wrote them. */
  argumentsText: string;
  /** Which choice made the call, for OpenAI requests with `n > 1`; 0 otherwise. */
  choice: number;
}

/**
 * A source the answer rests on, the same shape for every provider: a web page or a file the
 * provider cites (Anthropic citations, Responses annotations, Chat Completions `url_citation`s).
 */
export interface Source {
  /** The page's address, for a web source. */
  url?: string | undefined;
  /** The page's or document's title, when the provider gives one. */
  title?: string | undefined;
  /** The provider's id of a file it holds (Responses file search and code interpreter). */
  fileId?: string | undefined;
  /** The file's name. */
  filename?: string | undefined;
  /** The passage of the source that is cited, when the provider quotes it. */
  citedText?: string | undefined;
  /**
   * The part of the reply's `text` it supports, as character offsets (start inclusive, end
   * exclusive), when the provider says where.
   */
  textRange?: { start: number; end: number } | undefined;
}

/**
 * A tool the provider ran itself (web search, web fetch, code execution, file search, image
 * generation, an MCP server's tool...), never one for the client to run: those are `ToolCall`s.
 */
export interface ServerToolCall {
  /** The provider's id for the call. */
  id: string;
  /** The tool: `web_search`, `code_execution`, `image_generation`, an MCP tool's name... */
  name: string;
  /** What the model asked of it, as the provider sent it (a query, code, arguments). */
  input: unknown;
  /**
   * What it returned, as the provider sent it (search results, output, a generated image as
   * base64); `undefined` until it did.
   */
  output?: unknown | undefined;
  /** Whether the tool failed; its `output` says how. */
  isError?: boolean | undefined;
  /** The MCP server that ran it, for an MCP tool. */
  server?: string | undefined;
}

/**
 * Something the model asks the client to do other than call a function: run a custom tool with
 * free-form input, run a shell command, apply a patch, search its tools, or approve a call to an
 * MCP server's tool (OpenAI Responses). The turn waits for the client's answer.
 */
export interface ToolRequest {
  /** What is asked. */
  kind: 'custom' | 'local-shell' | 'apply-patch' | 'tool-search' | 'mcp-approval';
  /** The id to answer with (the call id, or the approval request's id). */
  id: string;
  /** The tool's name. */
  name: string;
  /** What the model sent: a custom tool's input text, a shell action, a patch, search queries, an MCP call's arguments. */
  input: unknown;
  /** The MCP server, for an approval request. */
  server?: string | undefined;
}

/**
 * What a provider needs to continue from a reply, in its own shape, to be sent back with the
 * history as it came: Anthropic's content blocks (thinking with its signature, redacted thinking,
 * tool use, server tools and their results, text), or the Responses API's output items (reasoning
 * with its encrypted content, function calls, server tool calls, messages).
 */
export type Continuation =
  { provider: 'anthropic'; content: readonly unknown[] } | { provider: 'openai-responses'; output: readonly unknown[] };

/**
 * One thing a provider stream said, in Sluice's single model of every format. Decoders turn each
 * provider's events into these; `streamText` yields them, and the relay writes them as its own
 * `sluice` protocol.
 */
export type StreamPart =
  /**
   * The header of a reply in the `sluice` protocol: the protocol version the server speaks and the
   * id the server minted for this reply's stream. Event ids of the reply are scoped to it, so a
   * client that resumes can tell the same reply from a different one.
   */
  | { type: 'sluice'; version: number; streamId: string }
  /** The response began: the provider's id for it and the model answering, when given. */
  | { type: 'start'; id?: string; model?: string }
  /**
   * A piece of answer text. `choice` is set for OpenAI `n > 1` requests; the answer text is choice
   * 0. `block` says which block of the reply it belongs to, when the provider's reply has several
   * (Anthropic text blocks between tool calls, Responses messages): a new number starts a new block,
   * left out for block 0. The reply's `text` joins all blocks.
   */
  | { type: 'text-delta'; text: string; choice?: number; block?: number }
  /** A piece of the model's reasoning or thinking, shown apart from the answer; `block` as for text. */
  | { type: 'reasoning-delta'; text: string; block?: number }
  /** A piece of a refusal (OpenAI `delta.refusal`), kept apart from the answer. */
  | { type: 'refusal-delta'; text: string; choice?: number }
  /** A tool call began. */
  | { type: 'tool-call-start'; id: string; name: string; choice?: number }
  /** More of a tool call's JSON arguments. */
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  /** A tool call is complete, its arguments parsed. */
  | { type: 'tool-call'; toolCall: ToolCall }
  /** A source the answer cites; `block` is the block it was cited in. */
  | { type: 'source'; source: Source; block?: number }
  /** A tool the provider ran itself, its input whole (and its output, when it came at once). */
  | { type: 'server-tool-call'; call: ServerToolCall; block?: number }
  /** What a tool the provider ran returned, for the call with `id`. */
  | { type: 'server-tool-result'; id: string; output: unknown; isError?: boolean; block?: number }
  /** The model asks the client to act (a custom tool, a shell command, a patch, an approval). */
  | { type: 'tool-request'; request: ToolRequest }
  /** What the provider needs to continue from this reply; sent just before the finish. */
  | { type: 'continuation'; continuation: Continuation }
  /**
   * A new step of the reply begins: the server called the provider again after running tools
   * (`createChatHandler` with `tools`). Text, calls and the continuation after it are that step's.
   */
  | { type: 'step-start' }
  /** What a tool the app's server ran returned, for the call with `id`; `isError` when it failed. */
  | { type: 'tool-result'; id: string; output: unknown; isError?: boolean }
  /** The app's server will run the call with `id` only once a person approves it: the reply waits. */
  | { type: 'tool-approval-request'; id: string }
  /** A file the model made (a generated image), as a `data:` URL or an address. */
  | { type: 'file'; mediaType: string; url: string; filename?: string }
  /**
   * Data the app's server sends with the reply (progress, a status, a structured result), under a
   * name of its own; a later piece with the same `id` replaces the earlier one.
   */
  | { type: 'data'; name: string; data: unknown; id?: string }
  /** Token counts; later parts add to or replace what earlier ones said. */
  | { type: 'usage'; usage: Partial<Usage> }
  /**
   * The format's terminal signal: the model finished, and why. A stream that closes without one
   * was cut short.
   */
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string; choice?: number }
  /**
   * A failure reported inside the stream. From a provider it carries the provider's own message
   * and error type. From a Sluice server (the `sluice` protocol) it also names the `kind` of the
   * failure, with the HTTP `status` and the wait the provider asked for: such a failure is final,
   * since the server has already retried what it could. It happened between that server and its
   * provider unless `relayed` is false (the server's own failure).
   */
  | {
      type: 'error';
      message: string;
      errorType?: string;
      retryable: boolean;
      kind?: StreamErrorKind;
      status?: number;
      retryAfterMs?: number;
      relayed?: boolean;
    };

/** The `type` of each kind of {@link StreamPart}. */
export type StreamPartType = StreamPart['type'];
