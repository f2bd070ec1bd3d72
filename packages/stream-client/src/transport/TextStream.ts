import type { StreamPart } from '../providers/StreamPart.js';
import type { StreamError } from './StreamError.js';
import type { StreamResult } from './StreamResult.js';

/** The listener each {@link TextStream} event takes. */
export interface TextStreamListeners {
  /** A piece of answer text (choice 0) arrived; `text` is everything so far. */
  text: (delta: string, text: string) => void;
  /** Any part arrived: text, reasoning, tool calls, usage, finish. */
  part: (part: StreamPart) => void;
  /** The stream finished whole. */
  finish: (result: StreamResult) => void;
  /** The stream failed. Not called for `abort()`: the caller already knows. */
  error: (error: StreamError) => void;
}

/**
 * A streaming answer in progress. Iterate it for every part (each iterator starts from the first
 * part, so iterating late loses nothing), listen with `on`, or await `result()`. Handed to
 * `relay`, it is read once: it lets go of the parts relay has read, and an iterator begun after
 * relay throws a `TypeError` (one begun before still gets every part); use `on` or `result()`.
 */
export interface TextStream extends AsyncIterable<StreamPart> {
  /** The answer text accumulated so far. */
  readonly text: string;
  /** Listens for an event; returns the function that stops listening. No listener fires after `abort()`. */
  on<Event extends keyof TextStreamListeners>(event: Event, listener: TextStreamListeners[Event]): () => void;
  /**
   * Aborts the request: the connection closes at once and `result()` rejects with kind `aborted`.
   * A server that keeps replies for resumption (a Sluice server with `streams`) goes on generating
   * for a while, so that the reply can be resumed (after a reload, say); use `stop()` to end it.
   */
  abort(reason?: unknown): void;
  /**
   * Stops the reply: aborts as `abort()` does, and tells a Sluice server that keeps the reply to
   * stop generating it (a request to the same URL with a `sluice-stop` header naming the reply).
   */
  stop(reason?: unknown): void;
  /** The whole result once the stream finishes; rejects with a {@link StreamError} carrying the partial result. */
  result(): Promise<StreamResult>;
}
