import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { StreamError } from '../transport/StreamError.js';
import { createMemoryStore } from './createMemoryStore.js';
import { errorEvent } from './errorEvent.js';
import { failedRead } from './failedRead.js';
import { replyEndingEvent } from './replyEndingEvent.js';
import type { ReplyStore, ReplyWriter } from './ReplyStore.js';
import { ReplyStoreError } from './ReplyStoreError.js';
import { reportFailure } from './reportFailure.js';

/** Options of {@link createResumableStreams}. */
export interface ResumableStreamsOptions {
  /**
   * Where replies are kept: this process's memory by default; `createRedisStore` from
   * `@sluice/redis` to share them between server processes.
   */
  store?: ReplyStore | undefined;
  /** For the default memory store: how long a reply with no client left keeps running; default 10 s. */
  graceMs?: number | undefined;
  /** For the default memory store: how long a finished reply stays available for late reconnections; default 60 s. */
  keepMs?: number | undefined;
  /**
   * The most event data one reply may keep, in bytes of UTF-8 (as it is sent and stored); a reply
   * that grows past it is ended there with an error, so no reply can fill the store. Default
   * 8 MiB, a few hundred thousand tokens.
   */
  maxReplyBytes?: number | undefined;
}

/** Makes the events of one reply, given the stream id minted for it and a signal that aborts when it must stop. */
export type ReplySource = (signal: AbortSignal, streamId: string) => AsyncIterable<OutgoingServerSentEvent>;

/** Options of {@link ResumableStreams.start}. */
export interface ReplyStartOptions {
  /** The chat the reply answers, so a reloaded page or a second tab finds it with `resumeChat`. */
  chatId?: string | undefined;
}

/** Replies kept by the stream id minted for each, so a client that lost its connection resumes where it left off. */
export interface ResumableStreams {
  /**
   * Starts a reply: the store mints its stream id, `source` runs once with it (pass it to `relay`
   * as `streamId`, so the reply's header names it) as soon as the events are first read, and every
   * event is numbered `<streamId>:<n>`. Resolves to the events from the first; rejects with a
   * `ReplyStoreError` of kind `unavailable`, before anything is asked of the provider, when the
   * store cannot keep the reply. The source's signal aborts on Stop, or once no client has
   * followed the reply for the store's grace period.
   */
  start(source: ReplySource, options?: ReplyStartOptions): Promise<AsyncIterableIterator<OutgoingServerSentEvent>>;
  /**
   * The events of a kept reply after `lastEventId` (a client's `Last-Event-ID` header, which names
   * the reply), then live ones until it ends; never a replay from the start, never a second
   * answer. A reply that cannot be continued (it is not kept, its producer died, the store is
   * unreachable) gets a single final `error` event saying why.
   */
  resume(lastEventId: string): AsyncIterableIterator<OutgoingServerSentEvent>;
  /**
   * The reply running now for a chat, from its first event (for a page that was reloaded, or a
   * second tab), or `undefined` when none is. Rejects with a `ReplyStoreError` when the store
   * cannot be read.
   */
  resumeChat(chatId: string): Promise<AsyncIterableIterator<OutgoingServerSentEvent> | undefined>;
  /**
   * Stops a reply's producer, in whichever process it runs (the person pressed Stop): its source's
   * signal aborts, and its followers get a final `error` event of kind `aborted`.
   */
  stop(streamId: string): Promise<void>;
  /** How many replies this process holds now. */
  readonly size: number;
}

const DEFAULT_MAX_REPLY_BYTES = 8 * 1024 * 1024;

/**
 * Keeps relayed replies so a client whose connection drops mid-answer reconnects with
 * `Last-Event-ID` and gets the rest: no token lost, none repeated, and the provider is asked only
 * once. Every reply has its own stream id, minted by the store, so a second message or a retry is
 * a new reply and can never be answered with an old one. Replies are kept in this process's
 * memory unless a shared `store` is given (`@sluice/redis`), with which a reply started on one
 * server process is resumed, followed and stopped through any other.
 *
 * @example
 * ```ts
 * const streams = createResumableStreams();
 * const lastEventId = request.headers.get('last-event-id');
 * const events = lastEventId
 *   ? streams.resume(lastEventId)
 *   : await streams.start((signal, streamId) => relay(streamText({ url, headers, body, signal }), { streamId }));
 * return toSSEResponse(events);
 * ```
 */
export function createResumableStreams(options: ResumableStreamsOptions = {}): ResumableStreams {
  if (options.store !== undefined && (options.graceMs !== undefined || options.keepMs !== undefined)) {
    throw new TypeError(
      'createResumableStreams: graceMs and keepMs belong to the store; pass them to the store you give.',
    );
  }
  const store =
    options.store ??
    createMemoryStore({
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
      ...(options.keepMs === undefined ? {} : { keepMs: options.keepMs }),
    });
  const maxReplyBytes = options.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;

  return {
    async start(source, startOptions = {}) {
      const writer = await store.create({ chatId: startOptions.chatId });
      // The follower exists before the producer runs, so the reply is never followed by nobody.
      const reading = readable(store.read(writer.streamId, 0));
      let producing = false;
      const events: AsyncIterableIterator<OutgoingServerSentEvent> = {
        next() {
          if (!producing) {
            producing = true;
            void produce(writer, source, maxReplyBytes);
          }
          return reading.next();
        },
        async return() {
          if (!producing) {
            // Let go of before its first read: the provider is never asked.
            producing = true;
            writer.append(replyEndingEvent('abandoned'));
            await writer.end().catch(() => {});
          }
          return reading.return!();
        },
        [Symbol.asyncIterator]() {
          return this;
        },
      };
      return events;
    },
    resume(lastEventId) {
      const colon = lastEventId.lastIndexOf(':');
      const after = Number(lastEventId.slice(colon + 1));
      if (colon <= 0 || !Number.isSafeInteger(after) || after < 0) {
        return readable(failedRead(new ReplyStoreError('gone', `No kept reply has the event id ${lastEventId}.`)));
      }
      return readable(store.read(lastEventId.slice(0, colon), after));
    },
    async resumeChat(chatId) {
      const streamId = await store.activeReply(chatId);
      return streamId === undefined ? undefined : readable(store.read(streamId, 0));
    },
    stop(streamId) {
      return store.stop(streamId);
    },
    get size() {
      return store.size;
    },
  };
}

/** Runs a reply's source into its writer, and always ends it with an event that says how it ended. */
async function produce(writer: ReplyWriter, source: ReplySource, maxReplyBytes: number): Promise<void> {
  let ended = false;
  let bytes = 0;
  try {
    for await (const event of source(writer.signal, writer.streamId)) {
      bytes += utf8Length(event.data);
      if (bytes > maxReplyBytes) {
        writer.append(tooLarge(maxReplyBytes));
        ended = true;
        break;
      }
      writer.append(event);
      ended ||= event.type === 'finish' || event.type === 'error';
    }
  } catch (error) {
    if (!(error instanceof StreamError)) reportFailure('sluice resumable streams', error, (text) => text);
    if (!writer.signal.aborted) {
      writer.append(errorEvent(error));
      ended = true;
    }
  } finally {
    // A reply stopped before its end says why to whoever follows it, rather than just ending.
    if (!ended && writer.stopReason !== undefined) writer.append(replyEndingEvent(writer.stopReason));
    await writer.end().catch((error: unknown) => reportFailure('sluice resumable streams', error, (text) => text));
  }
}

/**
 * The length of `text` in UTF-8, counted without encoding it (TextEncoder would copy every event
 * once more): 1 byte below U+0080, 2 below U+0800, 4 for a surrogate pair, else 3 (a lone
 * surrogate is sent as U+FFFD, which is 3 too).
 */
function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) continue;
    if (unit < 0x800) bytes += 1;
    else if (unit >= 0xd800 && unit <= 0xdbff && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      // A pair: two code units already counted, four bytes in all.
      bytes += 2;
      index++;
    } else bytes += 2;
  }
  return bytes;
}

function tooLarge(maxReplyBytes: number): OutgoingServerSentEvent {
  return sluiceEvent({
    type: 'error',
    kind: 'protocol',
    message: `The reply grew past the ${maxReplyBytes} bytes the server keeps of one reply, so it was ended there.`,
    retryable: false,
    errorType: 'reply_too_large',
    relayed: false,
  });
}

/**
 * A store's read as a client gets it: a failure of the store becomes one final `error` event
 * saying why, never an exception that would close the response as if the answer were whole.
 */
function readable(
  read: AsyncIterableIterator<OutgoingServerSentEvent>,
): AsyncIterableIterator<OutgoingServerSentEvent> {
  let failed = false;
  const fail = (error: unknown): IteratorResult<OutgoingServerSentEvent> => {
    if (!ReplyStoreError.is(error)) throw error;
    failed = true;
    return { done: false, value: replyEndingEvent(error.kind) };
  };
  return {
    // Not an async function: a `.then` on the store's own promise is one promise per event, where
    // an async function's `return await` was three, and this runs for every event of every reply.
    next() {
      if (failed) return Promise.resolve({ done: true, value: undefined });
      try {
        return read.next().then(undefined, fail);
      } catch (error) {
        // A read whose next() throws rather than rejects fails the same way.
        return new Promise((resolve) => resolve(fail(error)));
      }
    },
    async return() {
      failed = true;
      return (await read.return?.()) ?? { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
