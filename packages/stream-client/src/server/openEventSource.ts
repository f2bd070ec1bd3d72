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
  let settlePending: ((text: string | undefined) => void) | undefined;
  const stop = (reason?: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
    const settle = settlePending;
    settlePending = undefined;
    settle?.(undefined);
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

  const text = (next: IteratorResult<OutgoingEvent>): string | undefined => {
    if (next.done === true) {
      ended = true;
      return undefined;
    }
    const value = next.value;
    return typeof value === 'string' ? value : formatServerSentEvent(value);
  };
  const failure = (error: unknown): string | undefined => {
    ended = true;
    if (controller.signal.aborted) return undefined;
    // Only a StreamError's meaning is sent to the client: anything else stays in the log.
    if (!(error instanceof StreamError)) console.error('sluice: the event source failed:', error);
    return formatServerSentEvent(errorEvent(error));
  };

  return {
    stop,
    next() {
      if (ended || controller.signal.aborted) return Promise.resolve(undefined);
      // One promise per event, settled by whichever comes first: the source's next event, or
      // stop(). This is what `Promise.race([iterator.next(), stopped])` did with a fresh `stopped`
      // promise each time, for two promises and two reactions fewer per event, which counts at
      // tens of thousands of events a second. The settle function is dropped once used, so
      // nothing accumulates over a long reply; settling twice is a no-op.
      return new Promise<string | undefined>((resolve) => {
        const settle = (result: string | undefined) => {
          if (settlePending === settle) settlePending = undefined;
          resolve(result);
        };
        settlePending = settle;
        let pending: Promise<IteratorResult<OutgoingEvent>>;
        try {
          pending = iterator.next();
        } catch (error) {
          // A source whose next() throws rather than rejects fails the same way.
          settle(failure(error));
          return;
        }
        pending.then(
          (next) => {
            // Stopped meanwhile: this next() has already been answered with the end.
            if (settlePending !== settle) return;
            let result: string | undefined;
            try {
              result = text(next);
            } catch (error) {
              // An event that cannot be written (a line break in its type) ends the stream with an error.
              result = failure(error);
            }
            settle(result);
          },
          (error: unknown) => {
            if (settlePending !== settle) return;
            settle(failure(error));
          },
        );
      });
    },
  };
}
