import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import { errorEvent } from './errorEvent.js';

/** Options of {@link createResumableStreams}. */
export interface ResumableStreamsOptions {
  /** How long a stream with no client left keeps running, waiting for one to reconnect; default 10 s. */
  graceMs?: number;
  /** How long a finished stream stays available for late reconnections; default 60 s. */
  keepMs?: number;
}

/** Streams kept by key so that a client that lost its connection resumes where it left off. */
export interface ResumableStreams {
  /**
   * The events of the stream under `key`, after `lastEventId` (the client's `Last-Event-ID`
   * header), then live ones until it ends. The first call for a key starts the stream with `start`;
   * its signal aborts once no client has listened for `graceMs`. A reconnection for a stream that
   * is no longer kept gets a single non-retryable `error` event rather than a second, different answer.
   */
  open(
    key: string,
    start: (signal: AbortSignal) => AsyncIterable<OutgoingServerSentEvent>,
    lastEventId?: string | null,
  ): AsyncIterable<OutgoingServerSentEvent>;
  /** How many streams are kept now. */
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
 * Keeps relayed streams in memory, by key, so a client whose connection drops mid-answer reconnects
 * with `Last-Event-ID` and gets the rest: no token lost, none repeated, and the provider is asked
 * only once. For one server process; several need a shared store.
 */
export function createResumableStreams(options: ResumableStreamsOptions = {}): ResumableStreams {
  const graceMs = options.graceMs ?? 10_000;
  const keepMs = options.keepMs ?? 60_000;
  const entries = new Map<string, Entry>();

  function wake(entry: Entry): void {
    for (const waker of entry.wakers) waker();
    entry.wakers.clear();
  }

  function begin(key: string, start: (signal: AbortSignal) => AsyncIterable<OutgoingServerSentEvent>): Entry {
    const entry: Entry = {
      events: [],
      done: false,
      wakers: new Set(),
      listeners: 0,
      controller: new AbortController(),
      timer: undefined,
    };
    entries.set(key, entry);
    void (async () => {
      try {
        for await (const event of start(entry.controller.signal)) {
          entry.events.push(event);
          wake(entry);
        }
      } catch (error) {
        if (!entry.controller.signal.aborted) entry.events.push(errorEvent(error));
      } finally {
        entry.done = true;
        wake(entry);
        clearTimeout(entry.timer);
        entry.timer = setTimeout(() => entries.delete(key), keepMs);
      }
    })();
    return entry;
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
        entry.timer = setTimeout(() => entry.controller.abort(new Error('No client reconnected.')), graceMs);
      }
    }
  }

  return {
    open(key, start, lastEventId) {
      let entry = entries.get(key);
      const resuming = lastEventId !== undefined && lastEventId !== null && lastEventId !== '';
      if (entry === undefined) {
        if (resuming) return gone();
        entry = begin(key, start);
        return follow(entry, 0);
      }
      if (!resuming) return follow(entry, 0);
      const at = entry.events.findIndex((event) => event.id === lastEventId);
      return at === -1 ? gone() : follow(entry, at + 1);
    },
    get size() {
      return entries.size;
    },
  };
}

async function* gone(): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
  yield sluiceEvent({
    type: 'error',
    message: 'The stream to resume is no longer kept on this server.',
    errorType: 'gone',
    retryable: false,
  });
}
