import { randomUUID } from 'node:crypto';
import { createClient } from 'redis';
import { ReplyStoreError } from '@sluice/stream-client/server';
import type { OutgoingServerSentEvent, ReplyStore } from '@sluice/stream-client/server';
import type { Connection } from './Connection.js';
import { RedisAppender } from './RedisAppender.js';
import { RedisReplyWriter } from './RedisReplyWriter.js';
import { redisKeys } from './redisKeys.js';
import { RedisTail } from './RedisTail.js';
import { unavailable } from './unavailable.js';

/**
 * How often a producing process reads the Stops recorded for it: the bound on a Stop whose pub/sub
 * message it missed, well inside the 250 ms a Stop must take.
 */
const STOP_CHECK_MS = 100;

/** A node-redis client whose settings (URL, credentials, TLS) the store copies with `duplicate()`. */
export interface RedisClientLike {
  duplicate(overrides: {
    disableOfflineQueue: boolean;
    RESP: 3;
    socket?: { reconnectStrategy: (retries: number) => number } | undefined;
  }): unknown;
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** The Redis URL (`redis://`, `rediss://`); by default `REDIS_URL` from the environment, else `redis://127.0.0.1:6379`. */
  url?: string | undefined;
  /**
   * A node-redis client to copy the settings of, instead of `url`: the store opens its own three
   * connections with `client.duplicate()`, and never uses or closes yours.
   */
  client?: RedisClientLike | undefined;
  /** What every key and channel of the store begins with; default `sluice:`. */
  prefix?: string | undefined;
  /** How long a reply with no follower anywhere keeps running, waiting for one to reconnect; default 10 s. */
  graceMs?: number | undefined;
  /** How long a finished reply stays readable for late reconnections; default 60 s. */
  keepMs?: number | undefined;
  /**
   * A producing process's lease, renewed three times per lease: when its process dies, the
   * followers of its replies (in any process) end within about `leaseMs * 4 / 3`, with an error
   * of kind `gone` (`producer_lost`) after the text they had. Default 3 s.
   */
  leaseMs?: number | undefined;
  /**
   * How long a running reply is kept without its producer renewing it: what is left of a reply
   * whose process died goes after this. Default 10 minutes.
   */
  liveTtlMs?: number | undefined;
  /** Told of Redis failures (one report per outage of each connection); by default they are logged with `console.error`. */
  onError?: ((error: unknown) => void) | undefined;
}

/** A {@link ReplyStore} on Redis, with its connections to manage. */
export interface RedisStore extends ReplyStore {
  /** Resolves once the store's connections are up (they keep retrying in the background until they are). */
  ready(): Promise<void>;
  /** Closes the store's connections: replies this process is producing end, and its followers are told. */
  close(): Promise<void>;
}

/**
 * Keeps replies in Redis, so that every server process shares them: a client whose connection
 * drops resumes through any process, a reloaded page or a second tab follows a chat's live reply
 * wherever it is produced, and Stop reaches the producing process wherever it runs.
 *
 * Each reply is a Redis stream, one entry per event: entry `1-<n>` is the event a client knows as
 * `<streamId>:<n>`, so a reconnection reads from exactly after its `Last-Event-ID`, never from the
 * start. On the producing process it reads the reply from memory; on any other, it catches up with
 * `XRANGE` from exactly after that event, then waits for new entries in the one blocking `XREAD`
 * the process shares between every reply it follows. A producing process holds a lease; when it
 * dies, followers elsewhere end with a typed error and the text they had. Keys expire: a finished
 * reply after `keepMs`, an abandoned one after `liveTtlMs`.
 *
 * Stop is published on pub/sub, which reaches the producer at once, and recorded for the producing
 * process, which reads its record every 100 ms: a Stop published while its subscriber was
 * reconnecting still stops it.
 *
 * When Redis cannot be reached, `create` fails at once (the chat handler answers 503 and the
 * provider is not asked), replies in progress here stop with an error their followers see, and
 * the store recovers by itself when Redis is back.
 *
 * @example
 * ```ts
 * import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
 * import { createRedisStore } from '@sluice/redis';
 *
 * const streams = createResumableStreams({ store: createRedisStore({ url: process.env.REDIS_URL }) });
 * export const POST = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini', streams });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions = {}): RedisStore {
  const graceMs = options.graceMs ?? 10_000;
  const keepMs = options.keepMs ?? 60_000;
  const leaseMs = options.leaseMs ?? 3_000;
  const liveTtlMs = options.liveTtlMs ?? 10 * 60_000;
  const keys = redisKeys(options.prefix ?? 'sluice:');
  const instanceId = randomUUID();
  const producerKey = keys.producer(instanceId);
  const reportError = options.onError ?? ((error: unknown) => console.error('sluice redis store:', error));
  let closed = false;
  let lastLossReport = Number.NEGATIVE_INFINITY;
  /** Replies stopped because Redis did not take their events: one report per ten seconds, not one per reply. */
  const reportLoss = (error: unknown) => {
    if (closed || Date.now() - lastLossReport < 10_000) return;
    lastLossReport = Date.now();
    const why = error instanceof Error ? error.message || error.name : String(error);
    reportError(
      new ReplyStoreError(
        'unavailable',
        `Redis did not take the events of replies in progress, so they were stopped: ${why}`,
        {
          cause: error,
        },
      ),
    );
  };

  // Commands fail at once while Redis is unreachable, rather than wait in a queue: a chat must get
  // its answer (an error) now, not when Redis is back.
  const overrides = {
    disableOfflineQueue: true,
    RESP: 3 as const,
    socket: { reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000) },
  };
  const url = options.url ?? process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
  const open = (role: string): { connection: Connection; connected: Promise<unknown> } => {
    const connection = (
      options.client === undefined
        ? createClient({ url, ...overrides })
        : (options.client.duplicate(overrides) as Connection)
    ) as Connection;
    let down = false;
    connection.on('error', (error: unknown) => {
      // One report per outage, not one per reconnection attempt.
      if (down || closed) return;
      down = true;
      const why = error instanceof Error ? error.message : String(error);
      reportError(
        new ReplyStoreError('unavailable', `Redis is unreachable (${role} connection): ${why}`, { cause: error }),
      );
    });
    connection.on('ready', () => (down = false));
    return { connection, connected: connection.connect() };
  };
  const commands = open('commands');
  const blocking = open('blocking');
  const subscriber = open('subscriber');
  const writers = new Map<string, RedisReplyWriter>();
  const tail = new RedisTail(blocking.connection, commands.connection, keys, leaseMs);
  const subscribed = subscriber.connected.then(() =>
    subscriber.connection.subscribe(keys.stopChannel, (streamId) => writers.get(streamId)?.stop('stopped')),
  );
  subscribed.catch(() => {});
  const connected = Promise.all([commands.connected, blocking.connected, subscribed]).then(() => {});
  connected.catch(() => {});

  const writerContext = {
    commands: commands.connection,
    appender: new RedisAppender(commands.connection, (error) => reportLoss(error)),
    keys,
    graceMs,
    keepMs,
    leaseMs,
    onEnd: (streamId: string) => writers.delete(streamId),
    isClosed: () => closed,
  };

  /** The heartbeat: this process's lease, the time to live of its running replies, its followers' checks. */
  const tick = () => {
    if (closed) return;
    if (writers.size > 0) {
      // A renewal that fails is left alone: followers elsewhere go by the reply's events as well as
      // the lease, and a Redis that is gone fails the events' own batches, which stop the replies.
      commands.connection.set(producerKey, '1', { PX: leaseMs }).catch(() => {});
      const now = Date.now();
      for (const writer of writers.values()) {
        if (now - writer.renewedAt < liveTtlMs / 3) continue;
        writer.renewedAt = now;
        commands.connection.pExpire(keys.reply(writer.streamId), liveTtlMs).catch(() => {});
        if (writer.chatId !== undefined)
          commands.connection.pExpire(keys.chat(writer.chatId), liveTtlMs).catch(() => {});
      }
    }
    void tail.check();
  };
  const heartbeat = setInterval(tick, Math.max(10, Math.floor(leaseMs / 3)));
  heartbeat.unref();

  // Stop's record: a message published while this process's subscriber was reconnecting reaches
  // nobody, so a Stop is also added to this process's set, read (and emptied) here.
  const stopsKey = keys.stops(instanceId);
  const readStops = () => {
    if (closed || writers.size === 0 || !commands.connection.isReady) return;
    commands.connection
      .multi()
      .sMembers(stopsKey)
      .del(stopsKey)
      .exec()
      .then(
        ([stopped]) => {
          for (const streamId of stopped as unknown as string[]) writers.get(streamId)?.stop('stopped');
        },
        () => {},
      );
  };
  const stopCheck = setInterval(readStops, STOP_CHECK_MS);
  stopCheck.unref();

  return {
    async create({ chatId }) {
      if (closed) throw new ReplyStoreError('unavailable', 'The reply store was closed.');
      if (!commands.connection.isReady) throw unavailable(new Error('not connected'));
      const streamId = randomUUID();
      const reply = keys.reply(streamId);
      const transaction = commands.connection
        .multi()
        .set(producerKey, '1', { PX: leaseMs })
        .xAdd(reply, '0-1', { producer: instanceId, chat: chatId ?? '' })
        .pExpire(reply, liveTtlMs);
      if (chatId !== undefined) transaction.set(keys.chat(chatId), streamId, { PX: liveTtlMs });
      try {
        await transaction.exec();
      } catch (error) {
        throw unavailable(error);
      }
      const writer = new RedisReplyWriter(streamId, chatId, writerContext);
      writers.set(streamId, writer);
      return writer;
    },
    read(streamId, after): AsyncIterableIterator<OutgoingServerSentEvent> {
      const writer = writers.get(streamId);
      // Produced here: read from memory, waiting on nothing but the producer.
      const local = writer?.follow(after);
      if (local !== undefined) return local;
      if (writer !== undefined) {
        return failing(new ReplyStoreError('gone', `The reply ${streamId} has no event ${after}.`));
      }
      return tail.follow(streamId, after);
    },
    async activeReply(chatId) {
      try {
        return (await commands.connection.get(keys.chat(chatId))) ?? undefined;
      } catch (error) {
        throw unavailable(error);
      }
    },
    async stop(streamId) {
      const writer = writers.get(streamId);
      if (writer !== undefined) {
        writer.stop('stopped');
        return;
      }
      try {
        // Published at once, for a producer listening now; recorded, for one whose subscriber is not.
        const [, opening] = await Promise.all([
          commands.connection.publish(keys.stopChannel, streamId),
          commands.connection.xRange(keys.reply(streamId), '0-1', '0-1') as Promise<
            Array<{ message: Record<string, string> }>
          >,
        ]);
        const producer = opening[0]?.message['producer'];
        // Not kept (expired, or never): there is nothing to stop.
        if (producer === undefined) return;
        await commands.connection
          .multi()
          .sAdd(keys.stops(producer), streamId)
          .pExpire(keys.stops(producer), liveTtlMs)
          .exec();
      } catch (error) {
        throw unavailable(error);
      }
    },
    get size() {
      return writers.size;
    },
    ready() {
      return connected;
    },
    async close() {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      clearInterval(stopCheck);
      tail.close();
      for (const writer of writers.values()) writer.lose();
      for (const { connection } of [commands, blocking, subscriber]) connection.destroy();
    },
  };
}

/** A read that fails at its first step. */
function failing(error: ReplyStoreError): AsyncIterableIterator<OutgoingServerSentEvent> {
  let failed = false;
  return {
    async next() {
      if (failed) return { done: true, value: undefined };
      failed = true;
      throw error;
    },
    async return() {
      failed = true;
      return { done: true, value: undefined };
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
