/*
 * What the server half holds for each reply while it is open: a thousand of them at once is an
 * ordinary load, and a reasoning model's reply runs to thousands of tokens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import { providerEvents } from '../testing/providerEvents.js';
import { streamText } from '../transport/streamText.js';
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

describe('memory per open reply', () => {
  it('relay holds an open reply’s text, not every part of it: a few bytes a token beyond its characters', async () => {
    const blocks = providerEvents('openai', {
      text: Array.from({ length: TOKENS }, (_, index) => ` w${index % 1000}`),
    });
    const encoder = new TextEncoder();
    let provider!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void (provider = controller) });
    const stream = streamText({
      url: 'http://provider.test/v1/chat/completions',
      provider: 'openai',
      retry: false,
      fetch: async () => new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
    });
    const events = relay(stream);
    let relayed = 0;
    let written = 0;
    const reading = (async () => {
      for await (const event of events) {
        relayed++;
        if (event.type === 'text-delta') written++;
      }
    })();
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    const until = async (condition: () => boolean) => {
      while (!condition()) await turn();
    };
    // The reply's first event and relay's header, so that what a reply holds from its start is in place.
    provider.enqueue(encoder.encode(blocks[0]!));
    await until(() => relayed > 0);
    for (let index = 0; index < 10; index++) await turn();
    const before = heldBytes();
    // Every token (blocks 1 to TOKENS; the finish, the usage and [DONE] follow), a hundred to a
    // read, each read relayed before the next.
    const last = TOKENS + 1;
    for (let index = 1; index < last; index += 100) {
      provider.enqueue(encoder.encode(blocks.slice(index, Math.min(index + 100, last)).join('')));
      await until(() => written >= Math.min(index + 99, TOKENS));
    }
    const perToken = (heldBytes() - before) / TOKENS;
    const text = stream.text;
    for (const block of blocks.slice(last)) provider.enqueue(encoder.encode(block));
    provider.close();
    await reading;
    expect(written).toBe(TOKENS);
    expect((await stream.result()).text).toBe(text);
    console.log(
      `relay holds ${perToken.toFixed(1)} bytes a token of an open reply (${text.length / TOKENS} characters a token)`,
    );
    // The text, in the stream's result and in relay's, is some 10 bytes a token here, and this
    // build holds about 30. Every part kept, and each text kept as a chain of its deltas, came to
    // some 135 (either of the two alone, 80).
    expect(perToken).toBeLessThan(50);
  }, 60_000);

  it('a store keeps an open reply’s events for resumption in little more than their data', async () => {
    const buffer = new ReplyBuffer('reply-4f9c2a7e1b3d5f60');
    const before = heldBytes();
    for (let index = 0; index < TOKENS; index++) {
      buffer.push(sluiceEvent({ type: 'text-delta', text: ` w${index % 1000}` }));
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
