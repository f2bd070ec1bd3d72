/*
 * The server half's cost per token, in one process, without sockets: `REPLIES` replies open at
 * once, a mock provider (a `fetch` of our own, whose body is a byte stream) feeding each reply one
 * token per round, and the events written to a response that only counts them. What it measures
 * is the CPU time, the garbage collection and the heap of the path from the provider's bytes to
 * `response.write`, which `pnpm bench:relay` buries under the sockets of 2,000 connections and
 * the noise of a shared machine.
 *
 * `node scripts/bench-relay.mjs --per-token [relay|memory] [replies] [rounds]`; default relay 1000 200.
 * `relay`: streamText -> relay -> writeSSE, as the relay floor of `pnpm bench:relay`. `memory`:
 * the chat handler (`createChatHandler(...).node`) with the in-memory store, as its `memory` row.
 */
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { streamText } from '@sluice/stream-client';
import {
  createChatHandler,
  createMemoryStore,
  createResumableStreams,
  relay,
  writeSSE,
} from '@sluice/stream-client/server';
import type { NodeResponseLike } from '@sluice/stream-client/server';
import { providerEvents } from '@sluice/stream-client/testing';

const mode = process.argv[2] ?? 'relay';
const REPLIES = Number(process.argv[3] ?? 1000);
const ROUNDS = Number(process.argv[4] ?? 200);
const encoder = new TextEncoder();

/** One reply's provider: the chunks of an OpenAI stream, pushed one per round. */
interface Feed {
  blocks: Uint8Array[];
  next: number;
  controller?: ReadableStreamDefaultController<Uint8Array>;
}
const feeds: Feed[] = [];

const fakeFetch = (async () => {
  const tokens = Array.from({ length: ROUNDS }, (_, index) => ` t${index}`);
  const feed: Feed = {
    blocks: providerEvents('openai', { text: tokens }).map((block) => encoder.encode(block)),
    next: 0,
  };
  feeds.push(feed);
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      feed.controller = controller;
      controller.enqueue(feed.blocks[feed.next++]!);
    },
  });
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}) as typeof fetch;

/** A response that keeps nothing: it counts what is written, and always has room for more. */
function countingResponse(): NodeResponseLike & { bytes: number; ended: Promise<void> } {
  let ended!: () => void;
  const listeners = new Map<string, Set<() => void>>();
  const response = {
    bytes: 0,
    ended: new Promise<void>((resolve) => (ended = resolve)),
    writableEnded: false,
    destroyed: false,
    closed: false,
    writeHead() {},
    write(chunk: string) {
      response.bytes += chunk.length;
      return true;
    },
    end(chunk?: string) {
      if (chunk !== undefined) response.bytes += chunk.length;
      response.writableEnded = true;
      ended();
    },
    on(event: string, listener: () => void) {
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event)!.add(listener);
    },
    off(event: string, listener: () => void) {
      listeners.get(event)?.delete(listener);
    },
  };
  return response;
}

const chat = createChatHandler({
  provider: 'openai',
  model: 'bench',
  apiKey: 'bench-key',
  baseURL: 'http://provider.invalid/v1',
  retry: false,
  fetch: fakeFetch,
  streams: createResumableStreams({ store: createMemoryStore() }),
});

function open(reply: number): Promise<void> {
  const response = countingResponse();
  if (mode === 'relay') {
    const parts = streamText({
      url: 'http://provider.invalid/v1/chat/completions',
      body: {},
      provider: 'openai',
      retry: false,
      fetch: fakeFetch,
    });
    void writeSSE(response, relay(parts));
  } else {
    const body = JSON.stringify({ messages: [{ role: 'user', content: `reply-${reply}` }] });
    const request = {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': String(body.length) },
      body,
      async *[Symbol.asyncIterator]() {
        yield Buffer.from(body);
      },
      on() {},
      off() {},
    };
    void chat.node(request as never, response);
  }
  return response.ended;
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

let gcMs = 0;
/** Young-generation collections: with the nursery's size fixed, a steady measure of what was allocated. */
let scavenges = 0;
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    gcMs += entry.duration;
    if ((entry as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) scavenges++;
  }
});
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

const ended = Array.from({ length: REPLIES }, (_, reply) => open(reply));
// Every reply open and its first chunk read before anything is measured.
while (feeds.length < REPLIES) await turn();
for (let index = 0; index < 20; index++) await turn();
gc();
const heapBefore = process.memoryUsage().heapUsed;
observer.observe({ entryTypes: ['gc'] });
const cpuBefore = process.cpuUsage();
const started = performance.now();
let heapMid = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const feed of feeds) feed.controller!.enqueue(feed.blocks[feed.next++]!);
  // Let every reply carry its token to its response.
  for (let index = 0; index < 4; index++) await turn();
  if (round === ROUNDS / 2) {
    gc();
    heapMid = process.memoryUsage().heapUsed;
  }
}
const cpu = process.cpuUsage(cpuBefore);
const elapsed = performance.now() - started;
for (const feed of feeds) {
  while (feed.next < feed.blocks.length) feed.controller!.enqueue(feed.blocks[feed.next++]!);
  feed.controller!.close();
}
await Promise.all(ended);
observer.disconnect();
const tokens = REPLIES * ROUNDS;
console.log(
  JSON.stringify({
    mode,
    replies: REPLIES,
    rounds: ROUNDS,
    cpuUsPerToken: +((cpu.user + cpu.system) / tokens).toFixed(2),
    wallUsPerToken: +((elapsed * 1000) / tokens).toFixed(2),
    gcUsPerToken: +((gcMs * 1000) / tokens).toFixed(2),
    scavengesPer1000Tokens: +((scavenges * 1000) / tokens).toFixed(2),
    heldKiBPerReplyMidway: +((heapMid - heapBefore) / 1024 / REPLIES).toFixed(1),
  }),
);
process.exit(0);
