import type { Continuation, FinishReason, Source, ToolRequest, Usage } from '../providers/StreamPart.js';
import type { StreamCost, StreamMetrics } from '../transport/StreamResult.js';

/** Whether a text or reasoning part is still growing. */
export type PartState = 'streaming' | 'done';

/**
 * Where a tool call is. Its arguments stream in (`input-streaming`, `input` parsed as far as they
 * have come), then are whole (`input-available`). A tool that needs a person's approval waits
 * (`awaiting-approval`) until it is `approved` or `denied`. Then it has run: `output-available`
 * with its `output`, or `output-error` with its `errorText` (a tool that threw, arguments that were
 * not valid JSON or failed the schema, a tool nobody knows). Each of these goes back to the model.
 */
export type ToolCallState =
  | 'input-streaming'
  | 'input-available'
  | 'awaiting-approval'
  | 'approved'
  | 'denied'
  | 'output-available'
  | 'output-error';

/** A block of the answer's text. A reply whose provider splits its text into blocks has one part per block. */
export interface TextPart {
  readonly type: 'text';
  readonly id: string;
  readonly text: string;
  readonly state: PartState;
}

/** The model's reasoning (thinking), shown apart from the answer, with how long it thought. */
export interface ReasoningPart {
  readonly type: 'reasoning';
  readonly id: string;
  readonly text: string;
  readonly state: PartState;
  /** From its first piece to the first piece of anything else, once it is done. */
  readonly durationMs?: number | undefined;
}

/** A call of a tool the app defines: run in the browser (`useChat({ tools })`) or by the chat handler. */
export interface ToolCallPart {
  readonly type: 'tool-call';
  /** The provider's id of the call, which its result goes back with. */
  readonly id: string;
  readonly name: string;
  readonly state: ToolCallState;
  /**
   * The arguments: parsed as far as they have streamed while `input-streaming` (keys and literals
   * only once whole), then whole. `undefined` when they were not valid JSON.
   */
  readonly input: unknown;
  /** The arguments exactly as the model wrote them. */
  readonly inputText: string;
  /** What the tool returned, once `output-available`. */
  readonly output?: unknown | undefined;
  /** Why it failed, once `output-error`: sent to the model as the tool's result. */
  readonly errorText?: string | undefined;
  /** The person's reason for a denial, when they gave one. */
  readonly denialReason?: string | undefined;
  /** Where it runs: `client` (a tool of `useChat`) or `server` (a tool of the chat handler). */
  readonly runsOn?: 'client' | 'server' | undefined;
}

/** A tool the provider ran itself (web search, code execution...), with what it returned. */
export interface ServerToolPart {
  readonly type: 'server-tool';
  readonly id: string;
  readonly name: string;
  readonly input: unknown;
  readonly output?: unknown | undefined;
  readonly isError?: boolean | undefined;
  /** The MCP server that ran it, for an MCP tool. */
  readonly server?: string | undefined;
  readonly state: 'running' | 'done';
}

/** A page or file the answer cites. */
export interface SourcePart {
  readonly type: 'source';
  readonly id: string;
  readonly source: Source;
  /** The text part it was cited in, when the provider says. */
  readonly textPartId?: string | undefined;
}

/** A file: a user's attachment, or an image the model made. `url` is a `data:` URL or an address. */
export interface FilePart {
  readonly type: 'file';
  readonly id: string;
  /** The IANA media type: `image/png`, `application/pdf`, `text/plain`... */
  readonly mediaType: string;
  readonly url: string;
  readonly filename?: string | undefined;
}

/** Something the model asks the client to do other than call a function (OpenAI Responses custom tools, shell, patches, MCP approvals). */
export interface ToolRequestPart {
  readonly type: 'tool-request';
  readonly id: string;
  readonly request: ToolRequest;
}

/**
 * Data the app's server sends with a reply (progress, a status, a structured result), named by
 * the server: a part `data-progress` for the name `progress`. A later piece with the same id
 * replaces it in place.
 */
export interface DataPart {
  readonly type: `data-${string}`;
  readonly id: string;
  readonly data: unknown;
}

/**
 * Where a step of the reply begins: the first request, and each request made again after tools
 * ran. It carries what the provider needs to continue from that step, sent back with the history.
 */
export interface StepStartPart {
  readonly type: 'step-start';
  readonly id: string;
  readonly continuation?: Continuation | undefined;
}

/** One part of a message, in the order they arrived. Parts change in place (a new object with the same id). */
export type MessagePart =
  | TextPart
  | ReasoningPart
  | ToolCallPart
  | ServerToolPart
  | SourcePart
  | FilePart
  | ToolRequestPart
  | DataPart
  | StepStartPart;

/** What is known of a reply besides its parts: who answered, what it cost, how it went. */
export interface MessageMetadata {
  /** The model that answered. */
  readonly model?: string | undefined;
  /** The provider's id for the response. */
  readonly responseId?: string | undefined;
  /** Token counts, summed over the reply's steps. */
  readonly usage?: Usage | undefined;
  readonly cost?: StreamCost | undefined;
  /** Timings of the latest step's stream. */
  readonly metrics?: StreamMetrics | undefined;
  /** Why the model stopped, at the end of the reply's last step. */
  readonly finishReason?: FinishReason | undefined;
  /** How many requests the reply took: one, plus one per round of tool results. */
  readonly steps?: number | undefined;
}
