import { describe, expect, it } from 'vitest';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { createMemoryStore } from './createMemoryStore.js';
import { createResumableStreams } from './createResumableStreams.js';

/** A source that sends `count` events at once, then stays silent until its signal aborts. */
function silentAfter(count: number) {
  let aborted!: () => void;
  let started = false;
  const abortedPromise = new Promise<void>((resolve) => (aborted = resolve));
  const source = async function* (signal: AbortSignal): AsyncGenerator<OutgoingServerSentEvent> {
    started = true;
    signal.addEventListener('abort', () => aborted(), { once: true });
    for (let index = 0; index < count; index++) yield { type: 'text-delta', data: `{"text":"${index}"}` };
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  };
  return { source, aborted: abortedPromise, started: () => started };
}

async function collect(events: AsyncIterable<OutgoingServerSentEvent>): Promise<OutgoingServerSentEvent[]> {
  const seen: OutgoingServerSentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

const streamIdOf = (event: OutgoingServerSentEvent | undefined) => event!.id!.split(':')[0]!;

describe('createResumableStreams', () => {
  it('numbers every event with the reply’s stream id, and resumes just after the one a client names', async () => {
    const streams = createResumableStreams();
    const events = await collect(
      await streams.start(async function* () {
        for (const text of ['a', 'b', 'c']) yield { type: 'text-delta', data: `{"text":"${text}"}` };
      }),
    );
    const streamId = streamIdOf(events[0]);
    expect(events.map((event) => event.id)).toEqual([`${streamId}:1`, `${streamId}:2`, `${streamId}:3`]);
    expect((await collect(streams.resume(`${streamId}:1`))).map((event) => event.data)).toEqual([
      '{"text":"b"}',
      '{"text":"c"}',
    ]);
    // After the last event: nothing, and no error either.
    expect(await collect(streams.resume(`${streamId}:3`))).toEqual([]);
  });

  it('lets go of a client that leaves while the provider is silent, and stops it after the grace period', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, aborted } = silentAfter(1);
    const events = await streams.start(source);
    await events.next();
    // The client is waiting for the next event when it leaves: return() must not wait for one.
    const pending = events.next();
    await events.return!();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await aborted;
  });

  it('never asks the provider for a reply whose client left before reading anything', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, started } = silentAfter(0);
    const events = await streams.start(source);
    await events.return!();
    expect(started()).toBe(false);
  });

  it('answers a resumption of a reply stopped for want of a reader with kind gone, not an empty stream', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, aborted } = silentAfter(2);
    const events = await streams.start(source);
    const first = await events.next();
    await events.return!();
    await aborted;
    const resumed = await collect(streams.resume((first.value as OutgoingServerSentEvent).id!));
    expect(resumed.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(JSON.parse(resumed[1]!.data)).toMatchObject({ kind: 'gone', retryable: true, errorType: 'abandoned' });
  });

  it('answers an id it never minted, or a malformed one, with one final gone event', async () => {
    const streams = createResumableStreams();
    for (const id of ['0b6f3c62-unknown:12', 'no-colon', ':4', 'x:-1', 'x:1.5']) {
      const events = await collect(streams.resume(id));
      expect(events).toHaveLength(1);
      expect(JSON.parse(events[0]!.data)).toMatchObject({ kind: 'gone', errorType: 'not_kept' });
    }
  });

  it('stops a reply at once when asked, and tells its other followers it was stopped', async () => {
    const streams = createResumableStreams({ graceMs: 60_000 });
    const { source, aborted } = silentAfter(1);
    const events = await streams.start(source);
    const first = await events.next();
    const streamId = streamIdOf(first.value as OutgoingServerSentEvent);
    // A second tab follows the same reply from its first event.
    const secondTab = streams.resume(`${streamId}:0`);
    await streams.stop('no-such-reply');
    await streams.stop(streamId);
    await aborted;
    const rest = await collect(events);
    expect(rest.map((event) => event.type)).toEqual(['error']);
    expect(JSON.parse(rest[0]!.data)).toMatchObject({ kind: 'aborted', retryable: false });
    expect((await collect(secondTab)).map((event) => event.type)).toEqual(['text-delta', 'error']);
  });

  it('names a chat’s running reply, and forgets it once the reply ends', async () => {
    const streams = createResumableStreams();
    const { source } = silentAfter(2);
    expect(await streams.resumeChat('chat-1')).toBeUndefined();
    const events = await streams.start(source, { chatId: 'chat-1' });
    const first = await events.next();
    const streamId = streamIdOf(first.value as OutgoingServerSentEvent);
    // A reloaded page gets the reply from its first event, header included.
    const reloaded = (await streams.resumeChat('chat-1'))!;
    expect((await reloaded.next()).value).toEqual(first.value);
    expect(await streams.resumeChat('another-chat')).toBeUndefined();
    await reloaded.return!();
    await streams.stop(streamId);
    await collect(events);
    expect(await streams.resumeChat('chat-1')).toBeUndefined();
  });

  it('ends a reply that grows past maxReplyBytes with an error, and stops its source', async () => {
    const streams = createResumableStreams({ maxReplyBytes: 100 });
    let stopped = false;
    const events = await collect(
      await streams.start(async function* () {
        try {
          for (;;) yield { type: 'text-delta', data: `{"text":"0123456789"}` };
        } finally {
          stopped = true;
        }
      }),
    );
    expect(events.slice(0, -1).every((event) => event.type === 'text-delta')).toBe(true);
    expect(events.length).toBe(5);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ kind: 'protocol', errorType: 'reply_too_large' });
    expect(stopped).toBe(true);
  });

  it('counts maxReplyBytes in bytes of UTF-8, as the reply is sent and kept, not in UTF-16 units', async () => {
    // `{"t":"` (6 bytes), 'é' (2 bytes, 1 unit), '€' (3 bytes, 1 unit), '😀' (4 bytes, 2 units), a
    // lone surrogate (sent as U+FFFD: 3 bytes, 1 unit), 'x', `"}`: 21 bytes, 14 UTF-16 units.
    const data = '{"t":"é€😀\ud800x"}';
    expect([data.length, new TextEncoder().encode(data).length]).toEqual([14, 21]);
    const streams = createResumableStreams({ maxReplyBytes: 100 });
    const events = await collect(
      await streams.start(async function* () {
        for (;;) yield { type: 'text-delta', data };
      }),
    );
    // 4 events are 84 bytes; a 5th would be 105. Counted in UTF-16 units, 7 would fit (98).
    expect(events.map((event) => event.type)).toEqual([...Array.from({ length: 4 }, () => 'text-delta'), 'error']);
    expect(JSON.parse(events.at(-1)!.data)).toMatchObject({ errorType: 'reply_too_large' });
  });

  it('refuses grace and keep periods beside a store of your own, where they would be ignored', () => {
    expect(() => createResumableStreams({ store: createMemoryStore(), graceMs: 5 })).toThrow(/belong to the store/);
  });
});
