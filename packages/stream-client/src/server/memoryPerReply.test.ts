/*
 * What the server half holds for each reply while it is open: a thousand of them at once is an
 * ordinary load, and a reasoning model's reply runs to thousands of tokens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import { parseSSE } from '../sse/parseSSE.js';
import { providerEvents } from '../testing/providerEvents.js';
import { streamText } from '../transport/streamText.js';
import { createChatHandler } from './createChatHandler.js';
import { relay } from './relay.js';
import { ReplyBuffer } from './ReplyBuffer.js';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** The heap in use once everything unreachable is collected. */
function heldBytes(): number {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

const TOKENS = 20_000;
/** The reply's tokens, some 5 characters each. */
const tokens = Array.from({ length: TOKENS }, (_, index) => ` w${index % 1000}`);
const turn = () => new Promise((resolve) => setImmediate(resolve));
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await turn();
}

/** How a test reads one reply: the counts of what it has written so far, and its end. */
interface OpenReply {
  /** Events written so far, text deltas among them. */
  events(): number;
  textDeltas(): number;
  /** Settles once the reply has ended with its text, or the end of it. */
  ended: Promise<string>;
}

/**
 * What one open reply holds, in bytes a token: `open` starts the reply on a provider `fetch` whose
 * OpenAI stream the test feeds, a hundred tokens to a read, each relayed before the next. The
 * heap is read after a forced collection before the first token and after the last, while the
 * reply is still open.
 */
async function heldPerToken(open: (fetch: typeof globalThis.fetch) => OpenReply): Promise<number> {
  const blocks = providerEvents('openai', { text: tokens });
  const encoder = new TextEncoder();
  let provider!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (controller) => void (provider = controller) });
  const reply = open(async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }));
  // The reply's first event and the header, so that what a reply holds from its start is in place.
  provider.enqueue(encoder.encode(blocks[0]!));
  await until(() => reply.events() > 0);
  for (let index = 0; index < 10; index++) await turn();
  const before = heldBytes();
  // Blocks 1 to TOKENS are the tokens; the finish, the usage and [DONE] follow.
  const last = TOKENS + 1;
  for (let index = 1; index < last; index += 100) {
    provider.enqueue(encoder.encode(blocks.slice(index, Math.min(index + 100, last)).join('')));
    await until(() => reply.textDeltas() >= Math.min(index + 99, TOKENS));
  }
  const perToken = (heldBytes() - before) / TOKENS;
  for (const block of blocks.slice(last)) provider.enqueue(encoder.encode(block));
  provider.close();
  const text = await reply.ended;
  expect(reply.textDeltas()).toBe(TOKENS);
  expect(text.length > 0 && tokens.join('').endsWith(text)).toBe(true);
  return perToken;
}

describe('memory per open reply', () => {
  it('relay holds an open reply’s text, not every part of it: a few bytes a token beyond its characters', async () => {
    const perToken = await heldPerToken((fetch) => {
      const stream = streamText({ url: 'http://provider.test/v1/chat/completions', provider: 'openai', fetch });
      let events = 0;
      let textDeltas = 0;
      const ended = (async () => {
        for await (const event of relay(stream)) {
          events++;
          if (event.type === 'text-delta') textDeltas++;
        }
        return (await stream.result()).text;
      })();
      return { events: () => events, textDeltas: () => textDeltas, ended };
    });
    console.log(`relay holds ${perToken.toFixed(1)} bytes a token of an open reply (4.9 characters a token)`);
    // The text, in the stream's result and in relay's, is some 10 bytes a token here, and this
    // build holds about 30. Every part kept, and each text kept as a chain of its deltas, came to
    // some 135 (either of the two alone, 80).
    expect(perToken).toBeLessThan(50);
  }, 60_000);

  it('the chat handler holds no more for a reply it relays without a store', async () => {
    const perToken = await heldPerToken((fetch) => {
      const chat = createChatHandler({
        provider: 'openai',
        model: 'test-model',
        apiKey: 'test-key',
        baseURL: 'http://provider.test/v1',
        fetch,
        onError: () => {},
      });
      let events = 0;
      let textDeltas = 0;
      const ended = (async () => {
        const response = await chat(
          new Request('http://app.test/api/chat', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ messages: [{ role: 'user', content: 'Tell me everything' }] }),
          }),
        );
        // The client's own copy of the text would count against the server: only the last delta is kept.
        let last = '';
        for await (const event of parseSSE(response.body!)) {
          events++;
          if (event.type !== 'text-delta') continue;
          textDeltas++;
          last = (JSON.parse(event.data) as { text: string }).text;
        }
        return last;
      })();
      return { events: () => events, textDeltas: () => textDeltas, ended };
    });
    console.log(`the chat handler holds ${perToken.toFixed(1)} bytes a token of an open reply`);
    // Its steps read the provider's stream once, as relay does: every part kept came to some 90.
    expect(perToken).toBeLessThan(50);
  }, 60_000);

  it('a store keeps an open reply’s events for resumption in little more than their data', async () => {
    const buffer = new ReplyBuffer('reply-4f9c2a7e1b3d5f60');
    const before = heldBytes();
    for (let index = 0; index < TOKENS; index++) {
      buffer.push(sluiceEvent({ type: 'text-delta', text: tokens[index]! }));
    }
    const perEvent = (heldBytes() - before) / TOKENS;
    // Still all there, each with its id, for a follower that resumes from the start.
    const follower = buffer.follow(0);
    const first = await follower.next();
    expect(first.value).toEqual({ type: 'text-delta', data: '{"text":" w0"}', id: 'reply-4f9c2a7e1b3d5f60:1' });
    buffer.end();
    let read = 1;
    let last: unknown;
    for await (const event of follower) {
      read++;
      last = event;
    }
    expect(read).toBe(TOKENS);
    expect(last).toEqual({ type: 'text-delta', data: '{"text":" w999"}', id: `reply-4f9c2a7e1b3d5f60:${TOKENS}` });
    console.log(`a store's buffer holds ${perEvent.toFixed(1)} bytes an event`);
    // The data is some 32 bytes an event. An object per event with its id made some 130.
    expect(perEvent).toBeLessThan(90);
  });
});
