import { failedRead } from './failedRead.js';
import { ReplyBuffer } from './ReplyBuffer.js';
import type { ReplyStopReason, ReplyStore, ReplyWriter } from './ReplyStore.js';
import { ReplyStoreError } from './ReplyStoreError.js';
import { unref } from './unref.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** How long a reply with no follower keeps running, waiting for one to reconnect; default 10 s. */
  graceMs?: number | undefined;
  /** How long a finished reply stays readable for late reconnections; default 60 s. */
  keepMs?: number | undefined;
}

interface MemoryReply {
  buffer: ReplyBuffer;
  stop(reason: ReplyStopReason): void;
}

/**
 * Keeps replies in this process's memory: the default store of `createResumableStreams`, right
 * for one server process (and for development). Several processes behind a load balancer need a
 * shared store, such as `@sluice/redis`, so that a reconnection reaching another process finds
 * the reply.
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): ReplyStore {
  const graceMs = options.graceMs ?? 10_000;
  const keepMs = options.keepMs ?? 60_000;
  const replies = new Map<string, MemoryReply>();
  const chats = new Map<string, string>();

  return {
    async create({ chatId }) {
      const streamId = globalThis.crypto.randomUUID();
      const controller = new AbortController();
      let stopReason: ReplyStopReason | undefined;
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const stop = (reason: ReplyStopReason) => {
        if (controller.signal.aborted || buffer.done) return;
        stopReason = reason;
        clearTimeout(graceTimer);
        controller.abort(new Error(reason === 'stopped' ? 'The client stopped the reply.' : 'No client reconnected.'));
      };
      const abandonLater = () => {
        clearTimeout(graceTimer);
        graceTimer = unref(setTimeout(() => stop('abandoned'), graceMs));
      };
      const buffer = new ReplyBuffer(streamId, (followers) => {
        if (buffer.done) return;
        // Nobody is listening: give a reconnection time to arrive, then stop the provider.
        if (followers === 0) abandonLater();
        else clearTimeout(graceTimer);
      });
      // Followed by nobody until its first follower arrives.
      abandonLater();
      replies.set(streamId, { buffer, stop });
      if (chatId !== undefined) chats.set(chatId, streamId);
      const writer: ReplyWriter = {
        streamId,
        signal: controller.signal,
        get stopReason() {
          return stopReason;
        },
        append(event) {
          if (!buffer.done) buffer.push(event);
        },
        async end() {
          if (buffer.done) return;
          buffer.end();
          clearTimeout(graceTimer);
          if (chatId !== undefined && chats.get(chatId) === streamId) chats.delete(chatId);
          unref(setTimeout(() => replies.delete(streamId), keepMs));
        },
      };
      return writer;
    },
    read(streamId, after) {
      const reply = replies.get(streamId);
      if (reply === undefined || !Number.isInteger(after) || after < 0 || after > reply.buffer.length) {
        return failedRead(new ReplyStoreError('gone', `The reply ${streamId} is not kept here.`));
      }
      return reply.buffer.follow(after);
    },
    async activeReply(chatId) {
      return chats.get(chatId);
    },
    async stop(streamId) {
      replies.get(streamId)?.stop('stopped');
    },
    get size() {
      return replies.size;
    },
  };
}
