/*
 * The resumption property: a 200-event reply (reasoning, text, a tool call, usage) cut at every
 * event boundary, and at random byte offsets, and resumed each time, gives exactly what an
 * uninterrupted read gives: the same text and the same parts, in the same order. With the
 * in-memory store, and with Redis, where the reply is produced by one process's store and the
 * resumption served by another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { streamText } from '@sluice/stream-client';
import type { StreamPart, StreamResult } from '@sluice/stream-client';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
import type { ChatModel } from '@sluice/stream-client/server';
import { decodeEvents, providerEvents } from '@sluice/stream-client/testing';
import { createRedisStore } from '@sluice/redis';
import type { RedisStore } from '@sluice/redis';
import { cutAfter } from './support/cutAfter.js';
import { redisServerMissing, startRedisServer } from './support/redisServer.js';
import type { RedisServer } from './support/redisServer.js';

// 169 text tokens, 20 of reasoning and a tool call: 200 events with the header.
const script = {
  text: Array.from({ length: 169 }, (_, index) => `w${index}`).join(' '),
  reasoning: Array.from({ length: 20 }, (_, index) => `r${index}`).join(' '),
  toolCalls: [{ id: 'call_1', name: 'lookup', arguments: { query: 'resumable streams', limit: 3 } }],
};
const parts = decodeEvents('anthropic', providerEvents('anthropic', script).join(''));

/** The same 199 parts every time; a pause every 10 lets some cuts land while the reply is live. */
const model: ChatModel = async function* () {
  for (const [index, part] of parts.entries()) {
    if (index % 10 === 0) await new Promise((resolve) => setTimeout(resolve, 0));
    yield part;
  }
};

type Handler = (request: Request) => Promise<Response>;

/** What must be identical: the result without its timing and its stream id, and the parts without the header. */
function essence(result: StreamResult, seen: readonly StreamPart[]) {
  const { metrics: _metrics, streamId: _streamId, ...rest } = result;
  return { ...rest, parts: seen.filter((part) => part.type !== 'sluice') };
}

/** One read of a new reply: the first request to `first`, its response cut after `cutAt` bytes; resumptions to `rest`. */
async function read(first: Handler, rest: Handler, cutAt?: number) {
  let requests = 0;
  let raw = new Uint8Array();
  const wrong: string[] = [];
  const stream = streamText({
    url: 'http://chat.test/api/chat',
    body: { messages: [{ role: 'user', content: 'Tell me' }] },
    retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: async (input, init) => {
      requests++;
      const request = new Request(input, init);
      const response = await (requests === 1 ? first : rest)(request);
      const lastEventId = request.headers.get('last-event-id');
      if (lastEventId !== null) return checkContinuesAfter(lastEventId, response, wrong);
      if (requests > 1 || cutAt !== undefined) return requests === 1 ? cutAfter(response, cutAt!) : response;
      raw = new Uint8Array(await response.arrayBuffer());
      return new Response(raw, { status: response.status, headers: response.headers });
    },
  });
  const seen: StreamPart[] = [];
  for await (const part of stream) seen.push(part);
  return { essence: essence(await stream.result(), seen), raw, requests, wrong };
}

/**
 * Passes a resumption's response on, noting in `wrong` unless the server continues from exactly
 * the event after `lastEventId` (the client would hide a replay by dropping what it has seen; the
 * server must not send it).
 */
function checkContinuesAfter(lastEventId: string, response: Response, wrong: string[]): Response {
  const colon = lastEventId.lastIndexOf(':');
  const expected = `id: ${lastEventId.slice(0, colon)}:${Number(lastEventId.slice(colon + 1)) + 1}`;
  let head = '';
  let checked = false;
  const decoder = new TextDecoder();
  const tap = new TransformStream<Uint8Array, Uint8Array>({
    transform(chunk, controller) {
      if (!checked) {
        head += decoder.decode(chunk, { stream: true });
        const first = /^id: [^\n]*/m.exec(head)?.[0];
        if (first !== undefined) {
          checked = true;
          if (first !== expected) wrong.push(`resumed after ${lastEventId} with ${first}`);
        }
      }
      controller.enqueue(chunk);
    },
  });
  return new Response(response.body!.pipeThrough(tap), { status: response.status, headers: response.headers });
}

/** Where each event ends in the bytes of a reply: just after its blank line. */
function eventEnds(raw: Uint8Array): number[] {
  const ends: number[] = [];
  for (let index = 1; index < raw.length; index++) if (raw[index] === 10 && raw[index - 1] === 10) ends.push(index + 1);
  return ends;
}

/** A small seeded generator, so a failure names the offset that caused it, run after run. */
function offsets(count: number, below: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return 1 + (state % (below - 1));
  });
}

const stores: Array<{ name: string; handlers: () => Promise<[Handler, Handler]>; needsRedis?: true }> = [];
let redis: RedisServer | undefined;
const redisStores: RedisStore[] = [];

stores.push({
  name: 'the in-memory store',
  handlers: async () => {
    const handler = createChatHandler({ provider: model, streams: createResumableStreams() });
    return [handler, handler];
  },
});
stores.push({
  name: 'Redis, produced by one process and resumed through another',
  needsRedis: true,
  handlers: async () => {
    redis ??= await startRedisServer();
    const [a, b] = [0, 1].map(() => createRedisStore({ url: redis!.url, onError: () => {} }));
    redisStores.push(a!, b!);
    await Promise.all([a!.ready(), b!.ready()]);
    return [
      createChatHandler({ provider: model, streams: createResumableStreams({ store: a! }) }),
      createChatHandler({ provider: model, streams: createResumableStreams({ store: b! }) }),
    ];
  },
});

afterAll(async () => {
  await Promise.all(redisStores.map((store) => store.close()));
  await redis?.stop();
});

// Without redis-server, the Redis case is skipped: the run says why, once (test/support/redisServerCheck.ts).
describe.each(stores.filter((store) => !store.needsRedis || redisServerMissing() === undefined))(
  'a 200-event reply cut and resumed, with $name',
  ({ handlers }) => {
    let first: Handler;
    let rest: Handler;
    let reference: Awaited<ReturnType<typeof read>>;

    beforeAll(async () => {
      [first, rest] = await handlers();
      reference = await read(first, rest);
    });

    it('reads the reply whole when nothing cuts it: 200 events, the text, the tool call', () => {
      expect(eventEnds(reference.raw)).toHaveLength(200);
      expect(reference.essence.text).toBe(script.text);
      expect(reference.essence.reasoning).toBe(script.reasoning);
      expect(reference.essence.toolCalls).toMatchObject([
        { name: 'lookup', arguments: script.toolCalls[0]!.arguments },
      ]);
    });

    it('at every event boundary: the same text and parts as an uninterrupted read', async () => {
      const ends = eventEnds(reference.raw);
      for (const end of ends.slice(0, -1)) {
        const cut = await read(first, rest, end);
        expect(cut.essence, `cut after byte ${end}`).toEqual(reference.essence);
        expect(cut.requests, `cut after byte ${end}`).toBe(2);
        expect(cut.wrong).toEqual([]);
      }
    }, 120_000);

    it('at 100 random byte offsets, mid-event included: the same text and parts', async () => {
      for (const offset of offsets(100, reference.raw.length, 20261125)) {
        const cut = await read(first, rest, offset);
        expect(cut.essence, `cut after byte ${offset}`).toEqual(reference.essence);
        expect(cut.wrong).toEqual([]);
      }
    }, 120_000);
  },
);
