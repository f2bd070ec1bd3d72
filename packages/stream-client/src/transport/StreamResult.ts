import type {
  Continuation,
  FinishReason,
  ServerToolCall,
  Source,
  ToolCall,
  ToolRequest,
  Usage,
} from '../providers/StreamPart.js';

/** How a stream went, measured by the client. Times are in milliseconds. */
export interface StreamMetrics {
  /** From the call to the first content token (text, reasoning, refusal or tool call); `undefined` before one arrives. */
  timeToFirstTokenMs: number | undefined;
  /** From the call to the end of the stream (or to now, for a partial result). */
  durationMs: number;
  /**
   * Output tokens per second from the first token to the last: the provider's output token count
   * when it sent usage, otherwise the number of deltas received. `undefined` until two tokens are apart in time.
   */
  tokensPerSecond: number | undefined;
  /** The longest wait between two content tokens. */
  longestGapMs: number;
  /** Network reads, across every attempt. */
  chunks: number;
  /** Bytes received, across every attempt. */
  bytes: number;
  /** HTTP requests made: 1, plus one per retry or resumption. */
  attempts: number;
}

/** What a stream cost, in US dollars, from the `pricing` given and the usage the provider reported. */
export interface StreamCost {
  input: number;
  output: number;
  total: number;
}

/** One choice of a request that asked for several (OpenAI `n > 1`). */
export interface ChoiceResult {
  text: string;
  finishReason?: FinishReason | undefined;
  rawFinishReason?: string | undefined;
}

/** Everything a stream delivered: whole when it finished, or what arrived before a failure. */
export interface StreamResult {
  /** The answer text (choice 0). */
  text: string;
  /** Reasoning or thinking text, when the model streamed it. */
  reasoning: string;
  /** Refusal text (OpenAI `refusal`), when the model refused. */
  refusal: string;
  /** Every choice's text by index; one entry unless the request asked for several. */
  choices: ChoiceResult[];
  /** Tool calls for the client to run, in the order they completed. */
  toolCalls: ToolCall[];
  /** Tools the provider ran itself, with their output, in the order they were called. */
  serverToolCalls: ServerToolCall[];
  /** What the model asked the client to do besides calling functions; the turn waits for it. */
  toolRequests: ToolRequest[];
  /** The sources the answer cites, in the order they were cited. */
  sources: Source[];
  /** What the provider needs to continue from this reply: send it back with the history. */
  continuation?: Continuation | undefined;
  /** Token counts, when the provider sent them. */
  usage?: Usage | undefined;
  /** Why the model stopped, the same word for every provider; absent when the stream did not finish. */
  finishReason?: FinishReason | undefined;
  /** The provider's own word for why it stopped (`end_turn`, `stop`, `max_tokens`...). */
  rawFinishReason?: string | undefined;
  /** The provider's id for the response. */
  responseId?: string | undefined;
  /** The model that answered. */
  model?: string | undefined;
  /** The id a Sluice server minted for this reply's stream (the `sluice` protocol's header). */
  streamId?: string | undefined;
  metrics: StreamMetrics;
  /** The cost, when `pricing` was given and the provider reported usage. */
  cost?: StreamCost | undefined;
}

/** Prices per million tokens, in US dollars. */
export interface Pricing {
  inputPerMillion: number;
  outputPerMillion: number;
}
