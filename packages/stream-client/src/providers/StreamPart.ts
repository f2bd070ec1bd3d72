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
 * One thing a provider stream said, in Sluice's single model of every format. Decoders turn each
 * provider's events into these; `streamText` yields them, and the relay writes them as its own
 * `sluice` protocol.
 */
export type StreamPart =
  /** The response began: the provider's id for it and the model answering, when given. */
  | { type: 'start'; id?: string; model?: string }
  /** A piece of answer text. `choice` is set for OpenAI `n > 1` requests; the answer text is choice 0. */
  | { type: 'text-delta'; text: string; choice?: number }
  /** A piece of the model's reasoning or thinking, shown apart from the answer. */
  | { type: 'reasoning-delta'; text: string }
  /** A piece of a refusal (OpenAI `delta.refusal`), kept apart from the answer. */
  | { type: 'refusal-delta'; text: string; choice?: number }
  /** A tool call began. */
  | { type: 'tool-call-start'; id: string; name: string; choice?: number }
  /** More of a tool call's JSON arguments. */
  | { type: 'tool-call-delta'; id: string; argumentsDelta: string }
  /** A tool call is complete, its arguments parsed. */
  | { type: 'tool-call'; toolCall: ToolCall }
  /** Token counts; later parts add to or replace what earlier ones said. */
  | { type: 'usage'; usage: Partial<Usage> }
  /**
   * The format's terminal signal: the model finished, and why. A stream that closes without one
   * was cut short.
   */
  | { type: 'finish'; finishReason: FinishReason; rawFinishReason?: string; choice?: number }
  /** The provider reported an error inside the stream. */
  | { type: 'error'; message: string; errorType?: string; retryable: boolean };

/** The `type` of each kind of {@link StreamPart}. */
export type StreamPartType = StreamPart['type'];
