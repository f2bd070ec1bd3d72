import { describe, expect, it } from 'vitest';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { createResumableStreams } from './createResumableStreams.js';

/** A source that sends `count` events at once, then stays silent until its signal aborts. */
function silentAfter(count: number) {
  let aborted!: () => void;
  const abortedPromise = new Promise<void>((resolve) => (aborted = resolve));
  const source = async function* (signal: AbortSignal): AsyncGenerator<OutgoingServerSentEvent> {
    signal.addEventListener('abort', () => aborted(), { once: true });
    for (let index = 0; index < count; index++) yield { type: 'text-delta', data: `{"text":"${index}"}` };
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  };
  return { source, aborted: abortedPromise };
}

async function collect(events: AsyncIterable<OutgoingServerSentEvent>): Promise<OutgoingServerSentEvent[]> {
  const seen: OutgoingServerSentEvent[] = [];
  for await (const event of events) seen.push(event);
  return seen;
}

describe('createResumableStreams', () => {
  it('numbers every event with the reply’s stream id, and resumes just after the one a client names', async () => {
    const streams = createResumableStreams();
    const events = await collect(
      streams.start(async function* () {
        for (const text of ['a', 'b', 'c']) yield { type: 'text-delta', data: `{"text":"${text}"}` };
      }),
    );
    const streamId = events[0]!.id!.split(':')[0]!;
    expect(events.map((event) => event.id)).toEqual([`${streamId}:0`, `${streamId}:1`, `${streamId}:2`]);
    expect((await collect(streams.resume(`${streamId}:0`))).map((event) => event.data)).toEqual([
      '{"text":"b"}',
      '{"text":"c"}',
    ]);
  });

  it('lets go of a client that leaves while the provider is silent, and stops it after the grace period', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, aborted } = silentAfter(1);
    const events = streams.start(source)[Symbol.asyncIterator]();
    await events.next();
    // The client is waiting for the next event when it leaves: return() must not wait for one.
    const pending = events.next();
    await events.return!();
    await expect(pending).resolves.toEqual({ done: true, value: undefined });
    await aborted;
  });

  it('stops a reply whose client left before reading anything', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, aborted } = silentAfter(0);
    await streams.start(source)[Symbol.asyncIterator]().return!();
    await expect(aborted).resolves.toBeUndefined();
  });

  it('answers a resumption of a reply stopped for want of a reader with kind gone, not an empty stream', async () => {
    const streams = createResumableStreams({ graceMs: 20 });
    const { source, aborted } = silentAfter(2);
    const events = streams.start(source)[Symbol.asyncIterator]();
    const first = await events.next();
    await events.return!();
    await aborted;
    const resumed = await collect(streams.resume((first.value as OutgoingServerSentEvent).id!));
    expect(resumed.map((event) => event.type)).toEqual(['text-delta', 'error']);
    expect(JSON.parse(resumed[1]!.data)).toMatchObject({ kind: 'gone', retryable: true });
  });

  it('stops a reply at once when asked, and only a running one', async () => {
    const streams = createResumableStreams({ graceMs: 60_000 });
    const { source, aborted } = silentAfter(1);
    const events = streams.start(source)[Symbol.asyncIterator]();
    const first = await events.next();
    const streamId = (first.value as OutgoingServerSentEvent).id!.split(':')[0]!;
    expect(streams.stop('no-such-reply')).toBe(false);
    expect(streams.stop(streamId)).toBe(true);
    await aborted;
    expect(streams.stop(streamId)).toBe(false);
  });
});
