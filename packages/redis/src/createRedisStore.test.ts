/*
 * The Redis store against a redis-server of this file's own, with two stores standing in for two
 * server processes (each has its own connections and its own lease).
 */
import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createResumableStreams } from '@sluice/stream-client/server';
import type { OutgoingServerSentEvent, ResumableStreams } from '@sluice/stream-client/server';
import { redisServerMissing, startRedisServer } from '../../../test/support/redisServer.js';
import type { RedisServer } from '../../../test/support/redisServer.js';
import { createRedisStore } from './createRedisStore.js';
import type { RedisStore, RedisStoreOptions } from './createRedisStore.js';

let redis: RedisServer;
const stores: RedisStore[] = [];

const quiet = { onError: () => {} };

async function instance(options: RedisStoreOptions = {}): Promise<{ store: RedisStore; streams: ResumableStreams }> {
  const store = createRedisStore({ url: redis.url, ...quiet, ...options });
  stores.push(store);
  await store.ready();
  return { store, streams: createResumableStreams({ store }) };
}

/** A source that yields `count` text events `gapMs` apart, then finishes; it records its abort. */
function source(count: number, gapMs = 2) {
  const state = { aborted: false, abortedAt: 0 };
  const run = async function* (signal: AbortSignal): AsyncGenerator<OutgoingServerSentEvent> {
    signal.addEventListener('abort', () => Object.assign(state, { aborted: true, abortedAt: performance.now() }));
    yield { type: 'sluice', data: '{"version":1}' };
    for (let index = 0; index < count; index++) {
      await new Promise((resolve) => setTimeout(resolve, gapMs));
      if (signal.aborted) return;
      yield { type: 'text-delta', data: JSON.stringify({ text: `t${index} ` }) };
    }
    yield { type: 'finish', data: '{"finishReason":"stop"}' };
  };
  return { run, state };
}

/** Every event to the end. */
async function collect(events: AsyncIterable<OutgoingServerSentEvent>) {
  const seen: OutgoingServerSentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

/** The next `count` events, leaving the follower following. */
async function take(events: AsyncIterator<OutgoingServerSentEvent>, count: number) {
  const seen: OutgoingServerSentEvent[] = [];
  while (seen.length < count) {
    const next = await events.next();
    if (next.done === true) break;
    seen.push(next.value);
  }
  return seen;
}

const texts = (events: readonly OutgoingServerSentEvent[]) =>
  events
    .filter((event) => event.type === 'text-delta')
    .map((event) => (JSON.parse(event.data) as { text: string }).text);

// Without redis-server, skipped: the run says why, once (test/support/redisServerCheck.ts).
describe.skipIf(redisServerMissing() !== undefined)('createRedisStore', () => {
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((store) => store.close()));
  });

  it('resumes through another process from exactly after Last-Event-ID: every event once, in order', async () => {
    const a = await instance();
    const b = await instance();
    const { run } = source(40);
    const events = await a.streams.start(run);
    const first = await take(events, 11);
    await events.return!();
    const last = first.at(-1)!;
    const rest = await collect(b.streams.resume(last.id!));
    const all = [...first, ...rest];
    expect(texts(all)).toEqual(Array.from({ length: 40 }, (_, index) => `t${index} `));
    const streamId = last.id!.split(':')[0]!;
    expect(all.map((event) => event.id)).toEqual(all.map((_, index) => `${streamId}:${index + 1}`));
    expect(all.at(-1)!.type).toBe('finish');
    // The SSE id is the Redis entry id: event n is entry 1-n.
    const client = createClient({ url: redis.url });
    await client.connect();
    const entries = await client.xRange(`sluice:reply:${streamId}`, '-', '+');
    expect(entries!.map((entry) => entry.id)).toEqual(['0-1', ...all.map((_, index) => `1-${index + 1}`), '2-1']);
    const ttl = await client.pTTL(`sluice:reply:${streamId}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    client.destroy();
  });

  it('keeps the events of many replies written in the same turns, each in order, the end after the last', async () => {
    const a = await instance();
    // 50 replies, each yielding its events with no pause between them: they share batches.
    const burst = async function* (reply: number): AsyncGenerator<OutgoingServerSentEvent> {
      yield { type: 'sluice', data: '{"version":1}', retry: 1000 };
      for (let index = 0; index < 30; index++)
        yield { type: 'text-delta', data: JSON.stringify({ text: `r${reply}t${index}` }) };
      yield { type: 'finish', data: '{"finishReason":"stop"}' };
    };
    const b = await instance();
    const replies = await Promise.all(Array.from({ length: 50 }, (_, reply) => a.streams.start(() => burst(reply))));
    const read = await Promise.all(replies.map((events) => collect(events)));
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      for (const [reply, events] of read.entries()) {
        const streamId = events[0]!.id!.split(':')[0]!;
        // Read back through another process, from Redis, not from the producer's memory.
        const fromRedis = await collect(b.streams.resume(`${streamId}:0`));
        expect(texts(fromRedis)).toEqual(Array.from({ length: 30 }, (_, index) => `r${reply}t${index}`));
        expect(fromRedis[0]).toMatchObject({ type: 'sluice', retry: 1000, id: `${streamId}:1` });
        const entries = await client.xRange(`sluice:reply:${streamId}`, '-', '+');
        expect(entries!.map((entry) => entry.id)).toEqual([
          '0-1',
          ...events.map((_, index) => `1-${index + 1}`),
          '2-1',
        ]);
      }
    } finally {
      client.destroy();
    }
  });

  it('gives every follower of a reply on one process every event once, in order, whenever it joins', async () => {
    const a = await instance();
    const b = await instance();
    const { run } = source(300, 3);
    const events = await a.streams.start(run);
    const head = await take(events, 2);
    const streamId = head[0]!.id!.split(':')[0]!;
    const produced = collect(events);
    // On process B, one follower is live while others join, one by one, from the start (a reload or
    // a second tab) and from part way (a reconnection): each while B's one read of Redis brings
    // the first follower's events.
    const followers = [{ after: 2, read: collect(b.streams.resume(`${streamId}:2`)) }];
    for (let index = 0; index < 40; index++) {
      await new Promise((resolve) => setTimeout(resolve, 4 + (index % 5) * 3));
      const after = index % 4 === 3 ? 1 + index : 0;
      followers.push({ after, read: collect(b.streams.resume(`${streamId}:${after}`)) });
    }
    const whole = [...head, ...(await produced)];
    expect(texts(whole)).toHaveLength(300);
    for (const { after, read } of followers) {
      const seen = await read;
      expect(
        seen.map((event) => event.id),
        `a follower from event ${after}`,
      ).toEqual(whole.slice(after).map((event) => event.id));
      expect(seen).toEqual(whole.slice(after));
    }
  });

  it('ends a reply that grows past maxReplyBytes with an error, and Redis keeps no more than that', async () => {
    const a = await instance();
    const streams = createResumableStreams({ store: a.store, maxReplyBytes: 4096 });
    // 27 bytes of UTF-8 each, but 22 UTF-16 units: counted in units, the reply would keep a fifth more.
    const data = JSON.stringify({ text: 'é€😀 token ' });
    expect([data.length, Buffer.byteLength(data)]).toEqual([22, 27]);
    let stopped = false;
    const events = await collect(
      await streams.start(async function* () {
        try {
          for (;;) {
            await new Promise((resolve) => setImmediate(resolve));
            yield { type: 'text-delta', data };
          }
        } finally {
          stopped = true;
        }
      }),
    );
    expect(stopped).toBe(true);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ kind: 'protocol', errorType: 'reply_too_large' });
    const streamId = events[0]!.id!.split(':')[0]!;
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      const entries = (await client.xRange(`sluice:reply:${streamId}`, '-', '+'))!;
      expect(entries.map((entry) => entry.id).at(-1)).toBe('2-1');
      const kept = entries.filter((entry) => entry.message['t'] === 'text-delta');
      const bytes = kept.reduce((sum, entry) => sum + Buffer.byteLength(entry.message['d']!), 0);
      // As many events as the bound holds, and not one more.
      expect(bytes).toBeLessThanOrEqual(4096);
      expect(bytes + 27).toBeGreaterThan(4096);
      expect(entries.at(-2)!.message['t']).toBe('error');
    } finally {
      client.destroy();
    }
  });

  it('answers a reply it never kept with gone, and one past its end with nothing', async () => {
    const a = await instance();
    const b = await instance();
    const events = await collect(await a.streams.start(source(3).run));
    const gone = await collect(b.streams.resume('0b6f3c62-never:3'));
    expect(JSON.parse(gone[0]!.data)).toMatchObject({ kind: 'gone', errorType: 'not_kept' });
    expect(await collect(b.streams.resume(events.at(-1)!.id!))).toEqual([]);
  });

  it('finds a chat’s running reply from any process, and forgets it once the reply ends', async () => {
    const a = await instance();
    const b = await instance();
    const { run } = source(30);
    const events = await a.streams.start(run, { chatId: 'chat:ü' });
    const head = await events.next();
    const followed = (await b.streams.resumeChat('chat:ü'))!;
    expect((await followed.next()).value).toEqual(head.value);
    const rest = await collect(followed);
    expect(texts(rest)).toHaveLength(30);
    await collect(events);
    await vi.waitFor(async () => expect(await b.streams.resumeChat('chat:ü')).toBeUndefined());
  });

  it('stops the producer from another process, and its followers are told it was stopped', async () => {
    const a = await instance({ graceMs: 60_000 });
    const b = await instance();
    const { run, state } = source(1000, 5);
    const events = await a.streams.start(run);
    const head = await take(events, 3);
    const stoppedAt = performance.now();
    await b.streams.stop(head[0]!.id!.split(':')[0]!);
    const rest = await collect(events);
    expect(state.aborted).toBe(true);
    console.log(`Stop through pub/sub reached the producer in ${(state.abortedAt - stoppedAt).toFixed(1)} ms`);
    expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({ kind: 'aborted', errorType: 'stopped' });
    const resumed = await collect(b.streams.resume(head.at(-1)!.id!));
    expect(resumed.at(-1)).toEqual(rest.at(-1));
  });

  it('stops the producer within 250 ms when the Stop published on pub/sub reaches nobody', async () => {
    const a = await instance({ graceMs: 60_000 });
    const b = await instance();
    const { run, state } = source(1000, 5);
    const events = await a.streams.start(run);
    const head = await take(events, 3);
    const admin = createClient({ url: redis.url });
    await admin.connect();
    try {
      // Every subscriber's connection is cut, the producer's among them, just before the Stop is
      // published: it reconnects a moment later, too late to hear it.
      const killed = admin.sendCommand(['CLIENT', 'KILL', 'TYPE', 'pubsub']);
      const stoppedAt = performance.now();
      const stopping = b.streams.stop(head[0]!.id!.split(':')[0]!);
      expect(await killed).toBeGreaterThanOrEqual(2);
      await stopping;
      await vi.waitFor(() => expect(state.aborted).toBe(true), { timeout: 1000 });
      expect(state.abortedAt - stoppedAt).toBeLessThan(250);
      const rest = await collect(events);
      expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({ kind: 'aborted', errorType: 'stopped' });
      // And it is stopped for a reconnection anywhere.
      expect((await collect(b.streams.resume(head.at(-1)!.id!))).at(-1)).toEqual(rest.at(-1));
    } finally {
      admin.destroy();
    }
  });

  it('keeps a reply running while another process follows it, and stops it once nobody does', async () => {
    const a = await instance({ graceMs: 100, leaseMs: 300 });
    const b = await instance({ leaseMs: 300 });
    const { run, state } = source(400, 5);
    const events = await a.streams.start(run);
    const head = await take(events, 2);
    // The client moves to process B: A has no follower left, but B's presence keeps the reply going.
    await events.return!();
    const following = b.streams.resume(head.at(-1)!.id!);
    const seen = await take(following, 100);
    expect(state.aborted).toBe(false);
    expect(texts(seen)).toHaveLength(100);
    await following.return!();
    await vi.waitFor(() => expect(state.aborted).toBe(true), { timeout: 3000 });
  });

  it('does not take an overloaded producer for dead: a lapsed lease while its events still come is no loss', async () => {
    const a = await instance({ leaseMs: 300 });
    const b = await instance({ leaseMs: 300 });
    const { run } = source(120, 10);
    const events = await a.streams.start(run);
    const head = await take(events, 2);
    await events.return!();
    // The producer's lease is taken away again and again, as when its process is too busy to renew it in time.
    const client = createClient({ url: redis.url });
    await client.connect();
    const lapse = setInterval(() => {
      // A call still in flight when the client is destroyed below rejects; that is the test ending, not a failure.
      client
        .keys('sluice:producer:*')
        .then((keys) => (keys.length > 0 ? client.del(keys) : 0))
        .catch(() => {});
    }, 20);
    try {
      const rest = await collect(b.streams.resume(head.at(-1)!.id!));
      expect(texts([...head, ...rest])).toEqual(Array.from({ length: 120 }, (_, index) => `t${index} `));
      expect(rest.at(-1)!.type).toBe('finish');
    } finally {
      clearInterval(lapse);
      client.destroy();
    }
  });

  it('ends a follower elsewhere with a typed error and the text it had when the producer dies', async () => {
    const a = await instance({ leaseMs: 300 });
    const b = await instance({ leaseMs: 300 });
    const { run } = source(1000, 5);
    const events = await a.streams.start(run);
    const head = await take(events, 5);
    const following = b.streams.resume(head.at(-1)!.id!);
    const before = await take(following, 5);
    // The producing process goes away without a word (its connections cut, its lease left to lapse).
    const diedAt = performance.now();
    await a.store.close();
    const after = await collect(following);
    const noticedIn = performance.now() - diedAt;
    const error = JSON.parse(after.at(-1)!.data) as Record<string, unknown>;
    expect(error).toMatchObject({ kind: 'gone', retryable: false, errorType: 'producer_lost' });
    expect(texts([...before, ...after]).length).toBeGreaterThanOrEqual(5);
    // Within the lease and one check, not a hang.
    expect(noticedIn).toBeLessThan(3000);
  });

  it('keeps a running reply and its chat’s pointer alive, and lets both expire liveTtlMs after the producer vanished', async () => {
    const liveTtlMs = 800;
    const a = await instance({ leaseMs: 300, liveTtlMs, graceMs: 60_000 });
    const b = await instance({ leaseMs: 300 });
    const events = await a.streams.start(source(1000, 5).run, { chatId: 'chat-ttl' });
    const head = await take(events, 2);
    const streamId = head[0]!.id!.split(':')[0]!;
    const keys = [`sluice:reply:${streamId}`, 'sluice:chat:chat-ttl'];
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      // Twice the time to live, while the producer lives: renewed, both still there.
      for (let turn = 0; turn < 8; turn++) {
        await new Promise((resolve) => setTimeout(resolve, liveTtlMs / 4));
        expect(await client.exists(keys)).toBe(2);
      }
      expect(await b.streams.resumeChat('chat-ttl')).toBeDefined();
      // The producing process goes away without ending the reply: nothing renews its keys now.
      await a.store.close();
      const left = await Promise.all(keys.map((key) => client.pTTL(key)));
      for (const ttl of left) expect(ttl).toBeGreaterThan(0);
      for (const ttl of left) expect(ttl).toBeLessThanOrEqual(liveTtlMs);
      await vi.waitFor(async () => expect(await client.exists(keys)).toBe(0), { timeout: 3 * liveTtlMs });
      expect(await b.streams.resumeChat('chat-ttl')).toBeUndefined();
    } finally {
      client.destroy();
    }
  });

  it('keeps a finished reply readable for keepMs, then lets it go', async () => {
    const keepMs = 500;
    const a = await instance({ keepMs });
    const b = await instance();
    const events = await collect(await a.streams.start(source(3).run, { chatId: 'chat-kept' }));
    const streamId = events[0]!.id!.split(':')[0]!;
    const client = createClient({ url: redis.url });
    await client.connect();
    try {
      // The chat's pointer goes with the reply's end; the reply stays for late reconnections.
      expect(await client.exists('sluice:chat:chat-kept')).toBe(0);
      const ttl = await client.pTTL(`sluice:reply:${streamId}`);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(keepMs);
      expect(texts(await collect(b.streams.resume(`${streamId}:1`)))).toHaveLength(3);
      await vi.waitFor(async () => expect(await client.exists(`sluice:reply:${streamId}`)).toBe(0), {
        timeout: 3 * keepMs,
      });
      const gone = await collect(b.streams.resume(`${streamId}:1`));
      expect(JSON.parse(gone[0]!.data)).toMatchObject({ kind: 'gone', errorType: 'not_kept' });
    } finally {
      client.destroy();
    }
  });

  it('fails at once while Redis is down, stops replies in progress with a reason, and recovers when it is back', async () => {
    const scratch = await startRedisServer();
    try {
      const errors: unknown[] = [];
      const store = createRedisStore({ url: scratch.url, onError: (error) => errors.push(error) });
      stores.push(store);
      await store.ready();
      const streams = createResumableStreams({ store });
      const { run, state } = source(1000, 5);
      const events = await streams.start(run);
      await take(events, 3);
      await scratch.kill();
      const rest = await collect(events);
      expect(state.aborted).toBe(true);
      expect(JSON.parse(rest.at(-1)!.data)).toMatchObject({ kind: 'gone', errorType: 'store_unavailable' });
      const refused = Date.now();
      await expect(streams.start(run)).rejects.toMatchObject({ name: 'ReplyStoreError', kind: 'unavailable' });
      expect(Date.now() - refused).toBeLessThan(500);
      // One report per outage of each connection (and one for the reply it cost), not one per
      // reconnection attempt.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const reported = errors.length;
      expect(reported).toBeLessThanOrEqual(4);
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect(errors).toHaveLength(reported);
      await scratch.restart();
      await vi.waitFor(async () => expect(texts(await collect(await streams.start(source(3).run)))).toHaveLength(3), {
        timeout: 5000,
        interval: 100,
      });
    } finally {
      await scratch.stop();
    }
  });

  it('starts with Redis down, answering unavailable, and works once Redis comes up', async () => {
    const scratch = await startRedisServer();
    await scratch.kill();
    try {
      const store = createRedisStore({ url: scratch.url, ...quiet });
      stores.push(store);
      const streams = createResumableStreams({ store });
      await expect(streams.start(source(1).run)).rejects.toMatchObject({ kind: 'unavailable' });
      await expect(streams.resumeChat('any')).rejects.toMatchObject({ kind: 'unavailable' });
      await scratch.restart();
      await store.ready();
      expect(texts(await collect(await streams.start(source(2).run)))).toHaveLength(2);
    } finally {
      await scratch.stop();
    }
  });
});
