import { describe, expect, it, vi } from 'vitest';
import { mockResponse } from '../testing/mockResponse.js';
import { streamBlocks } from '../testing/streamBlocks.js';
import { providerEvents } from '../testing/providerEvents.js';
import { TextStreamStore } from './TextStreamStore.js';
import type { TextStreamSnapshot } from './TextStreamStore.js';

const eventStream = { 'content-type': 'text/event-stream' };

/** Records every published snapshot. */
function record(store: TextStreamStore): TextStreamSnapshot[] {
  const snapshots: TextStreamSnapshot[] = [];
  store.subscribe(() => snapshots.push(store.getSnapshot()));
  return snapshots;
}

describe('TextStreamStore', () => {
  it('goes idle -> connecting -> streaming -> done, publishing the final text with the terminal status', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => mockResponse('alpha beta gamma', { delayMs: 2 }));
    const store = new TextStreamStore({ url: 'http://x/', fetch, throttle: false });
    expect(store.getSnapshot().status).toBe('idle');
    const snapshots = record(store);
    store.start({ prompt: 'p' });
    await vi.waitFor(() => expect(store.getSnapshot().status).toBe('done'));
    const statuses = snapshots.map((snapshot) => snapshot.status);
    expect(statuses[0]).toBe('connecting');
    expect(statuses.at(-2)).toBe('streaming');
    expect(snapshots.at(-1)).toMatchObject({ status: 'done', text: 'alpha beta gamma', finishReason: 'stop' });
    // The last streaming snapshot may lag; the terminal one never does.
    expect(snapshots.filter((snapshot) => snapshot.status === 'done')).toHaveLength(1);
  });

  it('keeps its snapshot identity until something changes', async () => {
    const store = new TextStreamStore({ url: 'http://x/', fetch: vi.fn<typeof globalThis.fetch>() });
    expect(store.getSnapshot()).toBe(store.getSnapshot());
    expect(store.getServerSnapshot()).toBe(store.getSnapshot());
  });

  it('coalesces a burst of tokens into one published snapshot per throttle period', async () => {
    vi.useFakeTimers();
    try {
      const tokens = Array.from({ length: 500 }, (_, index) => `t${index} `);
      const blocks = providerEvents('openai', { text: tokens });
      // The whole burst arrives in one chunk, as it does when a proxy flushes late.
      const fetch = vi.fn<typeof globalThis.fetch>(async () => new Response(blocks.join(''), { headers: eventStream }));
      const store = new TextStreamStore({ url: 'http://x/', fetch, throttle: 50 });
      const snapshots = record(store);
      store.start();
      await vi.advanceTimersByTimeAsync(200);
      expect(store.getSnapshot()).toMatchObject({ status: 'done', text: tokens.join('') });
      // connecting, then done: 500 tokens never made 500 snapshots.
      expect(snapshots.length).toBeLessThanOrEqual(3);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the text received when stopped, with status aborted, and closes the connection', async () => {
    let signal: AbortSignal | undefined;
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
      signal = init!.signal!;
      return mockResponse('one two three four five', { delayMs: 15, signal });
    });
    const store = new TextStreamStore({ url: 'http://x/', fetch, throttle: false });
    store.start();
    await vi.waitFor(() => expect(store.getSnapshot().text).not.toBe(''));
    const text = store.getSnapshot().text;
    store.stop();
    expect(store.getSnapshot()).toMatchObject({ status: 'aborted', text });
    expect(signal?.aborted).toBe(true);
  });

  it('keeps every token received when the stream fails, and retry starts again with the same body', async () => {
    const cut = providerEvents('openai', { text: 'partial answer text' }).slice(0, 3);
    const bodies: string[] = [];
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
      bodies.push(String(init?.body));
      return bodies.length === 1
        ? new Response(streamBlocks(cut, 0), { headers: eventStream })
        : mockResponse('full answer');
    });
    const onError = vi.fn<(error: unknown) => void>();
    const store = new TextStreamStore({ url: 'http://x/', fetch, throttle: false, retry: false, onError });
    store.start({ q: 1 });
    await vi.waitFor(() => expect(store.getSnapshot().status).toBe('error'));
    expect(store.getSnapshot()).toMatchObject({ text: 'partial answer', error: { kind: 'truncated' } });
    expect(onError).toHaveBeenCalledOnce();
    store.retry();
    await vi.waitFor(() => expect(store.getSnapshot().status).toBe('done'));
    expect(store.getSnapshot().text).toBe('full answer');
    expect(bodies).toEqual(['{"q":1}', '{"q":1}']);
  });

  it('calls the latest callbacks without restarting the stream', async () => {
    const fetch = vi.fn<typeof globalThis.fetch>(async () => mockResponse(['a', 'b', 'c'], { delayMs: 40 }));
    const second = vi.fn<(delta: string) => void>();
    let swap: () => void = () => {};
    const tokenArrived = new Promise<void>((resolve) => (swap = resolve));
    const first = vi.fn<(delta: string) => void>(() => swap());
    const store = new TextStreamStore({ url: 'http://x/', fetch, onToken: first });
    store.start();
    await tokenArrived;
    store.setOptions({ url: 'http://x/', fetch, onToken: second });
    await vi.waitFor(() => expect(store.getSnapshot().status).toBe('done'));
    expect(first.mock.calls.length + second.mock.calls.length).toBe(3);
    expect(second).toHaveBeenCalled();
    expect(fetch).toHaveBeenCalledOnce();
  });

  it('reset aborts and goes back to idle; dispose aborts without publishing', async () => {
    const signals: AbortSignal[] = [];
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
      signals.push(init!.signal!);
      return mockResponse('x y z', { delayMs: 20, signal: init!.signal! });
    });
    const store = new TextStreamStore({ url: 'http://x/', fetch });
    store.start();
    store.reset();
    expect(store.getSnapshot().status).toBe('idle');
    store.start();
    const listener = vi.fn<() => void>();
    store.subscribe(listener);
    await vi.waitFor(() => expect(signals).toHaveLength(2));
    store.dispose();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(listener).not.toHaveBeenCalled();
    expect(signals.every((signal) => signal.aborted)).toBe(true);
  });
});
