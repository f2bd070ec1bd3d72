import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { errorEvent } from './errorEvent.js';
import { gone } from './gone.js';

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

  async function* follow(entry: Entry, from: number): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
    entry.listeners++;
    if (!entry.done) clearTimeout(entry.timer);
    let index = from;
    try {
      for (;;) {
        while (index < entry.events.length) yield entry.events[index++]!;
        if (entry.done) return;
        await new Promise<void>((resolve) => entry.wakers.add(resolve));
      }
    } finally {
      entry.listeners--;
      if (entry.listeners === 0 && !entry.done) {
        // Nobody is listening: give a reconnection time to arrive, then stop the provider.
        entry.timer = unref(setTimeout(() => entry.controller.abort(new Error('No client reconnected.')), graceMs));
      }
    }
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
      void (async () => {
        try {
          for await (const event of source(entry.controller.signal, streamId)) record(entry, streamId, event);
        } catch (error) {
          if (!entry.controller.signal.aborted) record(entry, streamId, errorEvent(error));
        } finally {
          entry.done = true;
          wake(entry);
          clearTimeout(entry.timer);
          entry.timer = unref(setTimeout(() => entries.delete(streamId), keepMs));
        }
      })();
      return follow(entry, 0);
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
    get size() {
      return entries.size;
    },
  };
}

/** Lets a process exit while a kept reply waits out its timer (Node, Bun, Deno); other runtimes have no such thing. */
function unref(timer: ReturnType<typeof setTimeout>): ReturnType<typeof setTimeout> {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
