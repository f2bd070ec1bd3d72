import { ReplyStoreError } from '@sluice/stream-client/server';
import type { Connection } from './Connection.js';
import { EventQueue } from './EventQueue.js';
import type { RedisKeys } from './redisKeys.js';
import { storedEvent } from './storedEvent.js';
import { unavailable } from './unavailable.js';

/** A stream entry as node-redis gives it. */
interface Entry {
  id: string;
  message: Record<string, string>;
}

/** The longest one blocking read waits before it is issued again (below node-redis's command timeout). */
const BLOCK_MS = 1000;

/** The most entries one catch-up read takes at a time. */
const CATCH_UP_COUNT = 1000;

/**
 * Follows replies produced by other processes. One blocking `XREAD` on its own connection waits on
 * every followed reply at once, from the position of the reply's least advanced follower.
 *
 * A follower that joins first catches up on its own with `XRANGE` from exactly after its position,
 * and only then joins the shared read, interrupting it (`CLIENT UNBLOCK`) so that it is issued
 * again with the follower in it. The shared read may already be bringing entries from further on
 * (another follower of the reply on this process is ahead): a follower that finds itself behind
 * what arrives catches up again from Redis, rather than taking the gap for lost events. Only a
 * catch-up read, which starts exactly after the follower's position, can see a real gap.
 *
 * A liveness check notices a producer whose lease has lapsed and ends its followers, with what it
 * had written and a typed error, never a hang.
 */
export class RedisTail {
  private readonly followers = new Map<string, Set<EventQueue>>();
  /** Followers reading on their own with `XRANGE` until they are level with Redis; the shared read leaves them out. */
  private readonly behind = new Set<EventQueue>();
  private readonly producers = new Map<string, string>();
  private readonly streamIds = new Map<string, string>();
  /** When each followed reply last brought an entry (or was first followed). */
  private readonly progressAt = new Map<string, number>();
  private running = false;
  private blocked = false;
  private unblocking = false;
  private wakeAgain = false;
  private blockingId: number | undefined;
  private closed = false;

  /**
   * @param blocking - the connection the blocking reads run on, used for nothing else
   * @param commands - the connection for everything else
   * @param keys - the store's key names
   * @param leaseMs - how long a follower's presence lasts without being renewed
   */
  constructor(
    private readonly blocking: Connection,
    private readonly commands: Connection,
    private readonly keys: RedisKeys,
    private readonly leaseMs: number,
  ) {
    blocking.on('ready', () => {
      this.blockingId = undefined;
      blocking.clientId().then(
        (id) => (this.blockingId = id),
        () => {},
      );
    });
  }

  /** How many replies this process follows from Redis now. */
  get size(): number {
    return this.followers.size;
  }

  /** A follower of a reply produced elsewhere, from after its `after`-th event. */
  follow(streamId: string, after: number): EventQueue {
    const queue: EventQueue = new EventQueue(after, () => this.remove(streamId, queue));
    const key = this.keys.reply(streamId);
    this.commands.xRange(key, '0-1', '0-1').then(
      (entries) => {
        if (queue.closed) return;
        const producer = (entries as Entry[])[0]?.message['producer'];
        if (producer === undefined) {
          queue.fail(new ReplyStoreError('gone', `The reply ${streamId} is not kept in Redis.`));
          return;
        }
        this.producers.set(streamId, producer);
        this.streamIds.set(key, streamId);
        if (!this.progressAt.has(streamId)) this.progressAt.set(streamId, Date.now());
        let followers = this.followers.get(streamId);
        if (followers === undefined) this.followers.set(streamId, (followers = new Set()));
        followers.add(queue);
        // Followed from here: its producer must not stop it as abandoned.
        this.commands.set(this.keys.followed(streamId), '1', { PX: this.leaseMs }).catch(() => {});
        void this.catchUp(streamId, queue);
      },
      (error: unknown) => queue.fail(unavailable(error)),
    );
    return queue;
  }

  /**
   * Renews this process's presence on the replies it follows, and ends the followers of any
   * reply whose producer's lease has lapsed: with the rest of what it wrote, and its end if it
   * wrote one, else a `lost` error.
   */
  async check(): Promise<void> {
    if (this.followers.size === 0) return;
    const streamIds = [...this.followers.keys()];
    const producers = [...new Set(streamIds.map((streamId) => this.producers.get(streamId)!))];
    let alive: number[];
    try {
      // Awaited together: one awaited after the other leaves the second's failure unobserved when
      // the first fails (the store closing mid-check rejects both).
      [alive] = await Promise.all([
        Promise.all(producers.map((producer) => this.commands.exists(this.keys.producer(producer)))),
        Promise.all(
          streamIds.map((streamId) => this.commands.set(this.keys.followed(streamId), '1', { PX: this.leaseMs })),
        ),
      ]);
    } catch {
      // Redis is unreachable: the blocking read fails too, and ends the followers.
      return;
    }
    const dead = new Set(producers.filter((_, index) => alive[index] === 0));
    if (dead.size === 0) return;
    // A lapsed lease alone is not death: a producer whose process is overloaded renews late but
    // still writes. A reply is lost when its lease has lapsed and nothing came of it for a lease.
    const now = Date.now();
    const lost = streamIds.filter(
      (id) => dead.has(this.producers.get(id)!) && now - (this.progressAt.get(id) ?? 0) >= this.leaseMs,
    );
    await Promise.all(lost.map((id) => this.drain(id)));
  }

  /** Ends every follower: the store is closing. */
  close(): void {
    this.closed = true;
    for (const followers of this.followers.values()) {
      for (const queue of followers) queue.fail(new ReplyStoreError('unavailable', 'The reply store was closed.'));
    }
  }

  /** Runs the blocking read while anything is followed. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (!this.closed) {
        const streams = [];
        for (const [streamId, followers] of this.followers) {
          let from = Infinity;
          for (const queue of followers) if (!this.behind.has(queue)) from = Math.min(from, queue.position);
          if (from !== Infinity) streams.push({ key: this.keys.reply(streamId), id: `1-${from}` });
        }
        // Nobody to wait for: followers still catching up start the read again when they are level.
        if (streams.length === 0) return;
        let reply: Array<{ name: string; messages: Entry[] }> | null;
        this.blocked = true;
        try {
          reply = (await this.blocking.xRead(streams, { BLOCK: BLOCK_MS, COUNT: 1000 })) as typeof reply;
        } catch (error) {
          if (this.closed) return;
          // Unreachable, or the connection dropped mid-read: nothing can be followed until it is back.
          const failure = unavailable(error);
          for (const followers of this.followers.values()) for (const queue of followers) queue.fail(failure);
          return;
        } finally {
          this.blocked = false;
        }
        if (reply === null) continue;
        for (const { name, messages } of reply) {
          const streamId = this.streamIds.get(name);
          if (streamId !== undefined) this.deliver(streamId, messages);
        }
      }
    } finally {
      this.running = false;
    }
  }

  /** Starts the read, or interrupts the one waiting so that it is issued again with the new follower in it. */
  private wake(): void {
    if (!this.running) {
      void this.run();
      return;
    }
    if (this.unblocking) {
      // The interruption on its way may reach a read issued before this follower was level: send another after it.
      this.wakeAgain = true;
      return;
    }
    if (!this.blocked || this.blockingId === undefined) return;
    this.unblocking = true;
    this.commands
      .clientUnblock(this.blockingId)
      .catch(() => {})
      .finally(() => {
        this.unblocking = false;
        if (!this.wakeAgain) return;
        this.wakeAgain = false;
        this.wake();
      });
  }

  /**
   * Hands entries the shared read brought to the reply's followers that are level with Redis. One
   * that finds the entries begin past its position (the read was issued for a follower further on)
   * catches up from Redis on its own.
   */
  private deliver(streamId: string, entries: readonly Entry[]): void {
    const followers = this.followers.get(streamId);
    if (followers === undefined) return;
    if (entries.length > 0) this.progressAt.set(streamId, Date.now());
    for (const queue of followers) {
      if (this.behind.has(queue)) continue;
      if (this.take(streamId, queue, entries) === 'behind') void this.catchUp(streamId, queue);
    }
  }

  /**
   * Gives one follower the entries, in order, past its position: `ended` when the reply's end was
   * among them, `behind` (and nothing given from there) when they skip past its next event.
   */
  private take(streamId: string, queue: EventQueue, entries: readonly Entry[]): 'ended' | 'behind' | 'read' {
    for (const { id, message } of entries) {
      const dash = id.indexOf('-');
      const part = id.slice(0, dash);
      const sequence = Number(id.slice(dash + 1));
      if (part === '2') {
        queue.finish();
        return 'ended';
      }
      if (part !== '1' || sequence <= queue.position) continue;
      if (sequence !== queue.position + 1) return 'behind';
      queue.push(storedEvent(message, streamId, sequence), sequence);
    }
    return 'read';
  }

  /**
   * Reads a follower's entries from exactly after its position with `XRANGE` until it is level
   * with Redis, then lets it join the shared read. Here a gap is real: the entries after its
   * position are not in Redis, though later ones are.
   */
  private async catchUp(streamId: string, queue: EventQueue): Promise<void> {
    if (this.behind.has(queue)) return;
    this.behind.add(queue);
    const key = this.keys.reply(streamId);
    try {
      for (;;) {
        if (queue.closed || this.closed) return;
        const entries = (await this.commands.xRange(key, `(1-${queue.position}`, '+', {
          COUNT: CATCH_UP_COUNT,
        })) as Entry[];
        if (queue.closed || this.closed) return;
        const read = this.take(streamId, queue, entries);
        if (read === 'ended') return;
        if (read === 'behind') {
          queue.fail(new ReplyStoreError('lost', `Events of the reply ${streamId} are missing from Redis.`));
          return;
        }
        if (entries.length < CATCH_UP_COUNT) break;
      }
    } catch (error) {
      queue.fail(unavailable(error));
      return;
    } finally {
      this.behind.delete(queue);
    }
    // Level with Redis, in the same turn as the last read: the shared read takes it on from here.
    this.wake();
  }

  /** What a producer that died left: its followers read the rest, then end or fail as lost. */
  private async drain(streamId: string): Promise<void> {
    const followers = this.followers.get(streamId);
    if (followers === undefined) return;
    let from = Infinity;
    for (const queue of followers) from = Math.min(from, queue.position);
    try {
      const entries = (await this.commands.xRange(this.keys.reply(streamId), `(1-${from}`, '+')) as Entry[];
      // From the least advanced follower on: every follower, catching up or not, reads the rest here.
      for (const queue of this.followers.get(streamId) ?? []) this.take(streamId, queue, entries);
    } catch (error) {
      for (const queue of followers) queue.fail(unavailable(error));
      return;
    }
    const lost = new ReplyStoreError(
      'lost',
      `The process producing the reply ${streamId} stopped before the reply's end (its lease lapsed).`,
    );
    for (const queue of this.followers.get(streamId) ?? []) queue.fail(lost);
  }

  private remove(streamId: string, queue: EventQueue): void {
    const followers = this.followers.get(streamId);
    if (followers === undefined || !followers.delete(queue) || followers.size > 0) return;
    this.followers.delete(streamId);
    this.producers.delete(streamId);
    this.progressAt.delete(streamId);
    this.streamIds.delete(this.keys.reply(streamId));
  }
}
