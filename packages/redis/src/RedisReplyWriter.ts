import { ReplyBuffer, ReplyStoreError } from '@sluice/stream-client/server';
import type { OutgoingServerSentEvent, ReplyStopReason, ReplyWriter } from '@sluice/stream-client/server';
import type { Connection } from './Connection.js';
import type { RedisKeys } from './redisKeys.js';
import type { AppendTarget, RedisAppender } from './RedisAppender.js';

/** Ends a reply in one step: its end entry, its keep period, and the chat's pointer if it still names it. */
const END_SCRIPT = `
redis.call('XADD', KEYS[1], '2-1', 'end', '1')
redis.call('PEXPIRE', KEYS[1], ARGV[2])
if #KEYS > 1 and redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[2]) end
return 1`;

/** What a writer needs of its store. */
export interface WriterContext {
  commands: Connection;
  /** Writes events to Redis in batches. */
  appender: RedisAppender;
  keys: RedisKeys;
  graceMs: number;
  keepMs: number;
  leaseMs: number;
  /** Told once, when the reply ends or is lost. */
  onEnd(streamId: string): void;
  /** Whether the store has been closed, after which nothing more is written. */
  isClosed(): boolean;
}

/**
 * A reply produced by this process: its events are kept in memory for this process's followers,
 * who wait on nothing but the producer, and appended to the reply's Redis stream, in order, for
 * followers anywhere. Entry `1-<n>` is event `n`; `0-1` opens the stream; `2-1` ends it.
 */
export class RedisReplyWriter implements ReplyWriter, AppendTarget {
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly buffer: ReplyBuffer;
  private reason: ReplyStopReason | undefined;
  private graceTimer: ReturnType<typeof setTimeout> | undefined;
  private lost = false;
  /** When the reply's keys last had their time to live renewed. */
  renewedAt = Date.now();
  /** The reply's stream key. */
  readonly key: string;

  /**
   * @param streamId - the reply's stream id
   * @param chatId - the chat it answers, if named
   * @param context - the store's connection, keys and periods
   */
  constructor(
    readonly streamId: string,
    readonly chatId: string | undefined,
    private readonly context: WriterContext,
  ) {
    this.signal = this.controller.signal;
    this.key = context.keys.reply(streamId);
    this.buffer = new ReplyBuffer(streamId, (followers) => {
      if (this.buffer.done) return;
      if (followers === 0) this.abandonLater(this.context.graceMs);
      else clearTimeout(this.graceTimer);
    });
    // Followed by nobody until its first follower arrives.
    this.abandonLater(context.graceMs);
  }

  get stopReason(): ReplyStopReason | undefined {
    return this.reason;
  }

  /** Whether the reply has ended. */
  get done(): boolean {
    return this.buffer.done;
  }

  append(event: OutgoingServerSentEvent): void {
    if (this.buffer.done) return;
    this.buffer.push(event);
    const sequence = this.buffer.length;
    if (this.lost) return;
    // Not awaited: batches keep the entries in order, and a failure stops the reply.
    this.context.appender.add(this, sequence, event);
  }

  async end(): Promise<void> {
    if (this.buffer.done) return;
    this.buffer.end();
    clearTimeout(this.graceTimer);
    this.context.onEnd(this.streamId);
    if (this.lost || this.context.isClosed()) return;
    // The reply's last events go out before its end.
    this.context.appender.flush();
    const keys = [this.key];
    if (this.chatId !== undefined) keys.push(this.context.keys.chat(this.chatId));
    try {
      await this.context.commands.eval(END_SCRIPT, {
        keys,
        arguments: [this.streamId, String(this.context.keepMs)],
      });
    } catch (error) {
      throw new ReplyStoreError('unavailable', `Redis could not record the end of reply ${this.streamId}.`, {
        cause: error,
      });
    }
  }

  /** This process's followers of the reply, from after its `after`-th event. */
  follow(after: number): AsyncIterableIterator<OutgoingServerSentEvent> | undefined {
    if (!Number.isSafeInteger(after) || after < 0 || after > this.buffer.length) return undefined;
    return this.buffer.follow(after);
  }

  /** Tells the producer to stop, for `reason`. */
  stop(reason: ReplyStopReason): void {
    if (this.controller.signal.aborted || this.buffer.done) return;
    this.reason = reason;
    clearTimeout(this.graceTimer);
    this.controller.abort(new Error(`The reply was stopped: ${reason}.`));
  }

  /**
   * Redis could not take the reply's events: it can no longer be resumed or stopped elsewhere, so
   * it stops. The failure is reported by whoever saw it, once, not once per reply.
   */
  lose(): void {
    if (this.lost) return;
    this.lost = true;
    this.stop('store-lost');
  }

  /** Stops the reply after `delay` unless a follower comes, here or (as its presence key says) elsewhere. */
  private abandonLater(delay: number): void {
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (this.buffer.followers > 0 || this.buffer.done) return;
      this.context.commands.exists(this.context.keys.followed(this.streamId)).then(
        (followed) => {
          if (this.buffer.followers > 0) return;
          if (followed > 0) this.abandonLater(this.context.leaseMs);
          else this.stop('abandoned');
        },
        () => this.stop('abandoned'),
      );
    }, delay);
    (this.graceTimer as { unref?: () => void }).unref?.();
  }
}
