import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
import { StreamError } from '../transport/StreamError.js';
import { errorEvent } from './errorEvent.js';
import type { EventSourceInput, OutgoingEvent } from './EventSource.js';

/** A source opened for writing: the next piece of text to send, and a way to stop it. */
export interface OpenedEventSource {
  /** The next event as event-stream text, or `undefined` at the end. A failing source yields an `error` event, then ends. */
  next(): Promise<string | undefined>;
  /** Stops the source: aborts its signal and ends its iteration. */
  stop(reason?: unknown): void;
}

/** Opens a source, linking its signal to `signal` (the client's disconnect). */
export function openEventSource(input: EventSourceInput, signal: AbortSignal | undefined): OpenedEventSource {
  const controller = new AbortController();
  // Settles a pending next() at once when the source is stopped: a source that ignores its signal
  // must not keep the writer (and everything it holds) waiting forever.
  let onStopped: (() => void) | undefined;
  const stop = (reason?: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
    onStopped?.();
    void iterator.return?.()?.catch?.(() => {});
  };
  if (signal !== undefined) {
    if (signal.aborted) controller.abort(signal.reason);
    else signal.addEventListener('abort', () => stop(signal.reason), { once: true });
  }
  const iterable = typeof input === 'function' ? input(controller.signal) : input;
  const iterator: AsyncIterator<OutgoingEvent> = iterable[Symbol.asyncIterator]();
  let ended = false;
  // Opened for a client already gone: the source is stopped before anything is asked of it.
  if (controller.signal.aborted) {
    ended = true;
    void iterator.return?.()?.catch?.(() => {});
  }
  return {
    stop,
    async next() {
      if (ended || controller.signal.aborted) return undefined;
      // A fresh promise per event, let go once the event is in: nothing accumulates over a long reply.
      const stopped = new Promise<undefined>((resolve) => (onStopped = () => resolve(undefined)));
      try {
        const next = await Promise.race([iterator.next(), stopped]);
        onStopped = undefined;
        if (next === undefined) {
          ended = true;
          return undefined;
        }
        const { done, value } = next;
        if (done) {
          ended = true;
          return undefined;
        }
        return typeof value === 'string' ? value : formatServerSentEvent(value);
      } catch (error) {
        ended = true;
        if (controller.signal.aborted) return undefined;
        // Only a StreamError's meaning is sent to the client: anything else stays in the log.
        if (!(error instanceof StreamError)) console.error('sluice: the event source failed:', error);
        return formatServerSentEvent(errorEvent(error));
      }
    },
  };
}
