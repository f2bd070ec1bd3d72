/*
 * Redis going away under a running chat handler, on a real HTTP server: unreachable at start, and
 * lost mid-answer. The client gets a clear error with its text kept, the handler answers every
 * other request at once, and it all works again when Redis is back.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatSession, describeStreamError } from '@sluice/stream-client';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
import type { ChatModel } from '@sluice/stream-client/server';
import { createRedisStore } from '@sluice/redis';
import type { RedisStore } from '@sluice/redis';
import { listen } from './support/loopbackServer.js';
import { redisServerMissing, startRedisServer } from './support/redisServer.js';

const open: RedisStore[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((store) => store.close()));
});

/** A model that writes 300 tokens, one every 5 ms, and counts its generations. */
function slowModel() {
  const counts = { generations: 0 };
  const model: ChatModel = async function* (_chat, { signal }) {
    counts.generations++;
    for (let index = 0; index < 300 && !signal.aborted; index++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      yield { type: 'text-delta', text: `t${index} ` };
    }
  };
  return { model, counts };
}

async function chatServer(redisUrl: string) {
  const store = createRedisStore({ url: redisUrl, onError: () => {} });
  open.push(store);
  const { model, counts } = slowModel();
  const handler = createChatHandler({
    provider: model,
    streams: createResumableStreams({ store }),
    onError: () => {},
  });
  const origin = await listen((request, response) => void handler.node(request, response));
  return { url: `${origin}/api/chat`, store, counts };
}

const session = (url: string) => new ChatSession({ url, throttle: false, retry: { attempts: 1 } });

// Without redis-server, skipped: the run says why, once (test/support/redisServerCheck.ts).
describe.skipIf(redisServerMissing() !== undefined)('the chat handler when Redis goes away', () => {
  it('answers at once with a clear, retryable error while Redis is down at start, and works once it is up', async () => {
    const redis = await startRedisServer();
    await redis.kill();
    try {
      const server = await chatServer(redis.url);
      const started = performance.now();
      // Twenty people at once: each gets an answer now, none waits for Redis.
      const chats = Array.from({ length: 20 }, () => session(server.url));
      await Promise.all(chats.map((chat) => chat.send('Hello?')));
      expect(performance.now() - started).toBeLessThan(2000);
      for (const chat of chats) {
        const [question, reply] = chat.getSnapshot().messages;
        expect(question).toMatchObject({ role: 'user', content: 'Hello?' });
        expect(reply).toMatchObject({ status: 'failed', error: { kind: 'http', status: 503, retryable: true } });
        expect(reply!.error!.message).toContain('reply store is unreachable');
        expect(describeStreamError(reply!.error)).toBe('The server had a problem answering.');
      }
      expect(server.counts.generations).toBe(0);
      await redis.restart();
      await server.store.ready();
      const chat = session(server.url);
      await chat.send('Hello again?');
      expect(chat.getSnapshot().messages[1]).toMatchObject({ status: 'done' });
      expect(chat.getSnapshot().messages[1]!.content).toMatch(/^t0 t1 .* t299 $/);
    } finally {
      await redis.stop();
    }
  }, 30_000);

  it('ends a reply with its text kept when Redis is lost mid-answer, serves others meanwhile, and recovers', async () => {
    const redis = await startRedisServer();
    try {
      const server = await chatServer(redis.url);
      await server.store.ready();
      const chat = session(server.url);
      const sent = chat.send('Tell me');
      await vi.waitFor(() => expect(chat.getSnapshot().messages[1]?.content.length).toBeGreaterThan(20), {
        interval: 5,
      });
      await redis.kill();
      await sent;
      const reply = chat.getSnapshot().messages[1]!;
      expect(reply.status).toBe('failed');
      expect(reply.content.length).toBeGreaterThan(20);
      expect(reply.error).toMatchObject({ kind: 'gone', retryable: true, providerErrorType: 'store_unavailable' });
      expect(describeStreamError(reply.error)).toBe('The server lost track of the answer before it finished.');
      // Meanwhile another person is answered at once, with the 503.
      const other = session(server.url);
      await other.send('Anyone?');
      expect(other.getSnapshot().messages[1]!.error).toMatchObject({ status: 503 });
      await redis.restart();
      await server.store.ready();
      await vi.waitFor(
        async () => {
          const again = session(server.url);
          await again.send('Back?');
          expect(again.getSnapshot().messages[1]!.status).toBe('done');
        },
        { timeout: 10_000, interval: 200 },
      );
    } finally {
      await redis.stop();
    }
  }, 30_000);
});
