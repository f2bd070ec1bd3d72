/*
 * What the server half holds for each reply while it is open: a thousand of them at once is an
 * ordinary load, and a reasoning model's reply runs to thousands of tokens.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { sluiceEvent } from '../providers/sluiceEvent.js';
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
