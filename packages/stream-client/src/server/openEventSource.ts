import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
import { StreamError } from '../transport/StreamError.js';
import { errorEvent } from './errorEvent.js';
import type { EventSourceInput, OutgoingEvent } from './EventSource.js';

/** A source opened for writing: the next piece of text to send, and a way to stop it. */
export interface OpenedEventSource {
  /** The next event as event-stream text, or `undefined` at the end. A failing source yields an `error` event, then ends. */
  next(): Promise<string | undefined>;
  /**
   * What {@link next} gives, handed to `receive` instead of through a promise of its own: once
   * per call, at once when the source has ended or been stopped, else when its next event
   * comes. One call at a time; `receive` must not throw. For writers that send event after event (`writeSSE`): the same
   * two callbacks serve every event, so an event costs the source's own promise and no more.
   */
  pull(receive: (text: string | undefined) => void): void;
  /** Stops the source: aborts its signal and ends its iteration. */
  stop(reason?: unknown): void;
}

/** Opens a source, linking its signal to `signal` (the client's disconnect). */
export function openEventSource(input: EventSourceInput, signal: AbortSignal | undefined): OpenedEventSource {
  const controller = new AbortController();
  // Whoever waits for the next event. stop() answers it at once: a source that ignores its signal
  // must not keep the writer (and everything it holds) waiting forever. It is let go of once
  // answered, so nothing accumulates over a long reply, and an event that arrives after a stop
  // finds nobody and is dropped.
  let receiver: ((text: string | undefined) => void) | undefined;
  const deliver = (text: string | undefined) => {
    const receive = receiver;
    receiver = undefined;
    receive?.(text);
  };
  const stop = (reason?: unknown) => {
    if (!controller.signal.aborted) controller.abort(reason);
    deliver(undefined);
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

  const failure = (error: unknown): string | undefined => {
    ended = true;
    if (controller.signal.aborted) return undefined;
    // Only a StreamError's meaning is sent to the client: anything else stays in the log.
    if (!(error instanceof StreamError)) console.error('sluice: the event source failed:', error);
    return formatServerSentEvent(errorEvent(error));
  };
  // Made once, for every event of the source.
  const onNext = (next: IteratorResult<OutgoingEvent>) => {
    if (receiver === undefined) return;
    let text: string | undefined;
    if (next.done === true) {
      ended = true;
    } else {
      try {
        text = typeof next.value === 'string' ? next.value : formatServerSentEvent(next.value);
      } catch (error) {
        // An event that cannot be written (a line break in its type) ends the stream with an error.
        text = failure(error);
      }
    }
    deliver(text);
  };
  const onError = (error: unknown) => {
    if (receiver !== undefined) deliver(failure(error));
  };

  const pull = (receive: (text: string | undefined) => void) => {
    if (ended || controller.signal.aborted) {
      receive(undefined);
      return;
    }
    receiver = receive;
    let pending: Promise<IteratorResult<OutgoingEvent>>;
    try {
      pending = iterator.next();
    } catch (error) {
      // A source whose next() throws rather than rejects fails the same way.
      deliver(failure(error));
      return;
    }
    pending.then(onNext, onError);
  };
  return {
    stop,
    pull,
    next: () => new Promise<string | undefined>(pull),
  };
}
