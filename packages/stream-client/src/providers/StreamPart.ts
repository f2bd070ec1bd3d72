/** Why a model stopped, the same word whichever provider answered. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';

import type { StreamErrorKind } from '../transport/StreamError.js';

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
  /**
   * The header of a reply in the `sluice` protocol: the protocol version the server speaks and the
   * id the server minted for this reply's stream. Event ids of the reply are scoped to it, so a
   * client that resumes can tell the same reply from a different one.
   */
  | { type: 'sluice'; version: number; streamId: string }
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
