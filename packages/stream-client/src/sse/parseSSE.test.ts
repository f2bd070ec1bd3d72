import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { parseSSE } from './parseSSE.js';
import type { EventStreamSource } from './parseSSE.js';
import { SSEParseError } from './SSEParseError.js';
import type { ServerSentEvent } from './ServerSentEvent.js';

const encoder = new TextEncoder();

/** A ReadableStream of the given chunks that records whether, and why, it was cancelled. */
function streamOf(chunks: string[]) {
  const state = { cancelled: false, reason: undefined as unknown, pulls: 0 };
  let index = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      state.pulls++;
      if (index < chunks.length) controller.enqueue(encoder.encode(chunks[index++]));
      else controller.close();
    },
    cancel(reason) {
      state.cancelled = true;
      state.reason = reason;
    },
  });
  return { stream, state };
}

async function collect(source: AsyncIterable<ServerSentEvent>): Promise<ServerSentEvent[]> {
  const events: ServerSentEvent[] = [];
  for await (const event of source) events.push(event);
  return events;
}

describe('parseSSE', () => {
  it('reads a ReadableStream of bytes into events', async () => {
    const { stream, state } = streamOf(['event: a\ndata: 1\n', '\ndata: 2\r', '\n\r\n', 'data: unfinished']);
    expect(await collect(parseSSE(stream))).toEqual([
      { type: 'a', data: '1', lastEventId: '' },
      { type: 'message', data: '2', lastEventId: '' },
    ]);
    expect(state.cancelled).toBe(false);
  });

  it('reads any async iterable of chunks, such as a Node stream', async () => {
    const node = Readable.from([Buffer.from('data: from node\n\n'), Buffer.from('data: ok\n\n')]);
    const events = await collect(parseSSE(node as AsyncIterable<Uint8Array>));
    expect(events.map((event) => event.data)).toEqual(['from node', 'ok']);
  });

  it('reads an async generator of strings', async () => {
    async function* chunks() {
      yield 'data: a\n';
      yield '\n';
    }
    expect(await collect(parseSSE(chunks()))).toEqual([{ type: 'message', data: 'a', lastEventId: '' }]);
  });

  it('yields each event before reading the next chunk', async () => {
    const { stream, state } = streamOf(['data: 1\n\n', 'data: 2\n\n']);
    const iterator = parseSSE(stream)[Symbol.asyncIterator]();
    expect((await iterator.next()).value).toMatchObject({ data: '1' });
    // The second chunk has not been asked for yet: the first event was not held back for it.
    const pullsAfterFirst = state.pulls;
    expect((await iterator.next()).value).toMatchObject({ data: '2' });
    expect(state.pulls).toBeGreaterThan(pullsAfterFirst);
  });

  it('cancels the source when the consumer leaves early, so a fetch closes its connection', async () => {
    const { stream, state } = streamOf(['data: 1\n\n', 'data: 2\n\n', 'data: 3\n\n']);
    for await (const event of parseSSE(stream)) {
      if (event.data === '1') break;
    }
    expect(state.cancelled).toBe(true);
    // The lock is released too: the body can be inspected (or cancelled again) by its owner.
    expect(stream.locked).toBe(false);
  });

  it('closes an async iterable source when the consumer leaves early', async () => {
    let closed = false;
    async function* chunks() {
      try {
        yield 'data: 1\n\n';
        yield 'data: 2\n\n';
      } finally {
        closed = true;
      }
    }
    for await (const event of parseSSE(chunks())) {
      if (event.data === '1') break;
    }
    expect(closed).toBe(true);
  });

  it('serves calls to next() made without waiting in order, reading the source one call at a time', async () => {
    const { stream } = streamOf(['data: 1\n\n', 'data: 2\n\ndata: 3\n\n', 'data: 4\n\n']);
    const iterator = parseSSE(stream);
    const results = await Promise.all([
      iterator.next(),
      iterator.next(),
      iterator.next(),
      iterator.next(),
      iterator.next(),
    ]);
    expect(results).toEqual([
      { done: false, value: { type: 'message', data: '1', lastEventId: '' } },
      { done: false, value: { type: 'message', data: '2', lastEventId: '' } },
      { done: false, value: { type: 'message', data: '3', lastEventId: '' } },
      { done: false, value: { type: 'message', data: '4', lastEventId: '' } },
      { done: true, value: undefined },
    ]);
  });

  it('passes retry, comment and last event ID options through', async () => {
    const onRetry = vi.fn<(milliseconds: number) => void>();
    const onComment = vi.fn<(text: string) => void>();
    const { stream } = streamOf([': hi\nretry: 2500\ndata: x\n\n']);
    const events = await collect(parseSSE(stream, { onRetry, onComment, lastEventId: '9' }));
    expect(onRetry).toHaveBeenCalledExactlyOnceWith(2500);
    expect(onComment).toHaveBeenCalledExactlyOnceWith('hi');
    expect(events).toEqual([{ type: 'message', data: 'x', lastEventId: '9' }]);
  });

  it('rejects with a typed error past maxEventBytes, after yielding what came before, and cancels the source', async () => {
    const { stream, state } = streamOf([
      'data: small\n\n',
      'data: ' + 'x'.repeat(100),
      'x'.repeat(100),
      'x\n\n',
      'data: more\n\n',
    ]);
    const received: string[] = [];
    let thrown: unknown;
    try {
      for await (const event of parseSSE(stream, { maxEventBytes: 150 })) received.push(event.data);
    } catch (error) {
      thrown = error;
    }
    expect(received).toEqual(['small']);
    expect(thrown).toBeInstanceOf(SSEParseError);
    expect(thrown).toMatchObject({ kind: 'event-too-large', limit: 150 });
    expect(state.cancelled).toBe(true);
  });

  it('passes on an error of the source itself', async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(encoder.encode('data: before\n\n'));
      },
      pull(controller) {
        // Erroring drops queued chunks, so fail only once the first chunk has been read.
        if (controller.desiredSize === 1) controller.error(new Error('connection reset'));
      },
    });
    const received: string[] = [];
    await expect(
      (async () => {
        for await (const event of parseSSE(failing)) received.push(event.data);
      })(),
    ).rejects.toThrow('connection reset');
    expect(received).toEqual(['before']);
  });

  it('explains a missing body', () => {
    expect(() => parseSSE(null as unknown as EventStreamSource)).toThrow(/Response with no body/);
    expect(() => parseSSE({} as EventStreamSource)).toThrow(TypeError);
  });
});
