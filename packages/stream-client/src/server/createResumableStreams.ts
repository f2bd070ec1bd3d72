import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { errorEvent } from './errorEvent.js';
import { StreamError } from '../transport/StreamError.js';
import { gone, goneEvent } from './gone.js';
import { reportFailure } from './reportFailure.js';

/** Options of {@link createResumableStreams}. */
export interface ResumableStreamsOptions {
  /** How long a reply with no client left keeps running, waiting for one to reconnect; default 10 s. */
  graceMs?: number;
  /** How long a finished reply stays available for late reconnections; default 60 s. */
  keepMs?: number;
}

/** Makes the events of one reply, given the stream id minted for it and a signal that aborts when it is abandoned. */
export type ReplySource = (signal: AbortSignal, streamId: string) => AsyncIterable<OutgoingServerSentEvent>;

/** Replies kept by the stream id minted for each, so a client that lost its connection resumes where it left off. */
export interface ResumableStreams {
  /**
   * Starts a reply: mints its stream id, runs `source` once with it (pass it to `relay` as
   * `streamId`, so the reply's header names it), numbers every event `<streamId>:<sequence>`, and
   * returns the events from the first. The source's signal aborts once no client has listened for
   * `graceMs`.
   */
  start(source: ReplySource): AsyncIterable<OutgoingServerSentEvent>;
  /**
   * The events of a kept reply after `lastEventId` (a client's `Last-Event-ID` header, which names
   * the reply), then live ones until it ends; never a replay from the start, never a second
   * answer. A reply that is not kept (it expired, or another process started it) gets a single
   * `error` event of kind `gone`.
   */
  resume(lastEventId: string): AsyncIterable<OutgoingServerSentEvent>;
  /**
   * Stops a reply's producer now (the person pressed Stop): its source's signal aborts. Returns
   * whether a running reply had that id. A stopped reply stays kept, ended, for `keepMs`.
   */
  stop(streamId: string): boolean;
  /** How many replies are kept now. */
  readonly size: number;
}

interface Entry {
  events: OutgoingServerSentEvent[];
  done: boolean;
  wakers: Set<() => void>;
  listeners: number;
  controller: AbortController;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * Keeps relayed replies in memory so a client whose connection drops mid-answer reconnects with
 * `Last-Event-ID` and gets the rest: no token lost, none repeated, and the provider is asked only
 * once. Every reply has its own stream id, minted here, so a second message or a retry is a new
 * reply and can never be answered with an old one. For one server process; several need a shared
 * store.
 *
 * @example
 * ```ts
 * const streams = createResumableStreams();
 * const lastEventId = request.headers.get('last-event-id');
 * const events = lastEventId
 *   ? streams.resume(lastEventId)
 *   : streams.start((signal, streamId) => relay(streamText({ url, headers, body, signal }), { streamId }));
 * return toSSEResponse(events);
 * ```
 */
export function createResumableStreams(options: ResumableStreamsOptions = {}): ResumableStreams {
  const graceMs = options.graceMs ?? 10_000;
  const keepMs = options.keepMs ?? 60_000;
  const entries = new Map<string, Entry>();

  function wake(entry: Entry): void {
    for (const waker of entry.wakers) waker();
    entry.wakers.clear();
  }

  function record(entry: Entry, streamId: string, event: OutgoingServerSentEvent): void {
    entry.events.push({ ...event, id: `${streamId}:${entry.events.length}` });
    wake(entry);
  }

  /**
   * A client's view of a reply from `from` on. Counted as a listener from the moment it exists, and
   * its `return()` lets go at once, even while it waits for the next event: the grace period must
   * start when the client leaves, not when the provider next speaks (which a stalled provider never does).
   */
  function follow(entry: Entry, from: number): AsyncIterableIterator<OutgoingServerSentEvent> {
    entry.listeners++;
    if (!entry.done) clearTimeout(entry.timer);
    let index = from;
    let closed = false;
    let waiting: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      if (waiting !== undefined) {
        entry.wakers.delete(waiting);
        waiting();
      }
      entry.listeners--;
      if (entry.listeners === 0 && !entry.done) {
        // Nobody is listening: give a reconnection time to arrive, then stop the provider.
        entry.timer = unref(setTimeout(() => entry.controller.abort(new Error('No client reconnected.')), graceMs));
      }
    };
    const finished = { done: true, value: undefined } as const;
    return {
      async next() {
        for (;;) {
          if (closed) return finished;
          if (index < entry.events.length) return { done: false, value: entry.events[index++]! };
          if (entry.done) {
            close();
            return finished;
          }
          await new Promise<void>((resolve) => {
            waiting = resolve;
            entry.wakers.add(resolve);
          });
          waiting = undefined;
        }
      },
      async return() {
        close();
        return finished;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  return {
    start(source) {
      const streamId = globalThis.crypto.randomUUID();
      const entry: Entry = {
        events: [],
        done: false,
        wakers: new Set(),
        listeners: 0,
        controller: new AbortController(),
        timer: undefined,
      };
      entries.set(streamId, entry);
      const following = follow(entry, 0);
      void (async () => {
        let ended = false;
        try {
          for await (const event of source(entry.controller.signal, streamId)) {
            record(entry, streamId, event);
            ended ||= event.type === 'finish' || event.type === 'error';
          }
        } catch (error) {
          if (!(error instanceof StreamError)) reportFailure('sluice resumable streams', error, (text) => text);
          if (!entry.controller.signal.aborted) {
            record(entry, streamId, errorEvent(error));
            ended = true;
          }
        } finally {
          // A reply stopped before its end says so to whoever resumes it, rather than just ending.
          if (!ended && entry.controller.signal.aborted) record(entry, streamId, goneEvent(STOPPED));
          entry.done = true;
          wake(entry);
          clearTimeout(entry.timer);
          entry.timer = unref(setTimeout(() => entries.delete(streamId), keepMs));
        }
      })();
      return following;
    },
    resume(lastEventId) {
      const colon = lastEventId.lastIndexOf(':');
      const entry = colon === -1 ? undefined : entries.get(lastEventId.slice(0, colon));
      const sequence = Number(lastEventId.slice(colon + 1));
      if (entry === undefined || !Number.isInteger(sequence) || sequence < 0 || sequence >= entry.events.length) {
        return gone();
      }
      return follow(entry, sequence + 1);
    },
    stop(streamId) {
      const entry = entries.get(streamId);
      if (entry === undefined || entry.done || entry.controller.signal.aborted) return false;
      entry.controller.abort(new Error('The client stopped the reply.'));
      return true;
    },
    get size() {
      return entries.size;
    },
  };
}

const STOPPED = 'The reply was stopped before its end, so it cannot be continued.';

/** Lets a process exit while a kept reply waits out its timer (Node, Bun, Deno); other runtimes have no such thing. */
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
