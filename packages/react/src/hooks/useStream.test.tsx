import { act, render, renderHook, screen, waitFor } from '@testing-library/react';
import { Profiler, StrictMode, useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mockStream, providerEvents, streamBlocks } from '@sluice/stream-client/testing';
import { answer } from '../../test-support/mswServer.js';
import { installManualFrames } from '../../test-support/manualFrames.js';
import { useStream } from './useStream.js';
import type { UseStreamOptions } from './useStream.js';

const url = 'http://api.test/answer';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('useStream', () => {
  it('streams text through connecting, streaming and done', async () => {
    const text = 'Hello from the stream, one word at a time, slowly enough to watch it grow.';
    answer(url, () => mockStream(text, { delayMs: 15 }));
    const { result } = renderHook(() => useStream({ url, provider: 'openai' }));
    expect(result.current.status).toBe('idle');
    act(() => result.current.start({ question: 'hi' }));
    expect(result.current.status).toBe('connecting');
    await waitFor(() => expect(result.current.status).toBe('streaming'));
    await waitFor(() => expect(result.current.status).toBe('done'));
    expect(result.current).toMatchObject({ text, finishReason: 'stop', usage: { outputTokens: 15 } });
    expect(result.current.metrics?.attempts).toBe(1);
  });

  it('stop() aborts the request (the server sees it) and keeps the text received so far', async () => {
    const requests = answer(url, ({ signal }) =>
      mockStream('one two three four five six seven', { delayMs: 20, signal }),
    );
    const { result } = renderHook(() => useStream({ url, throttle: false }));
    act(() => result.current.start());
    await waitFor(() => expect(result.current.text).not.toBe(''));
    act(() => result.current.stop());
    expect(result.current.status).toBe('aborted');
    const kept = result.current.text;
    expect(kept.length).toBeGreaterThan(0);
    expect(requests[0]!.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(result.current.text).toBe(kept);
  });

  it('on failure keeps every token received, exposes the StreamError, and retry() starts again', async () => {
    const requests = answer(url, (_request, index) =>
      index === 0
        ? streamBlocks(
            [
              ...providerEvents('anthropic', { text: 'Partial answer here' }).slice(0, 5),
              'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
            ],
            2,
          )
        : mockStream('Complete answer.', { provider: 'anthropic' }),
    );
    const onError = vi.fn<NonNullable<UseStreamOptions['onError']>>();
    const { result } = renderHook(() => useStream({ url, provider: 'anthropic', retry: false, onError }));
    act(() => result.current.start({ n: 1 }));
    await waitFor(() => expect(result.current.status).toBe('error'));
    expect(result.current.text).toBe('Partial answer');
    expect(result.current.error).toMatchObject({ kind: 'provider', retryable: true });
    expect(onError).toHaveBeenCalledOnce();
    act(() => result.current.retry());
    await waitFor(() => expect(result.current.status).toBe('done'));
    expect(result.current.text).toBe('Complete answer.');
    expect(requests.map((request) => request.body)).toEqual([{ n: 1 }, { n: 1 }]);
  });

  it('reads callbacks through the latest render, never restarting the stream', async () => {
    const requests = answer(url, () => mockStream(['a', 'b', 'c', 'd'], { delayMs: 30 }));
    const seen: string[] = [];
    const { result, rerender } = renderHook(
      ({ tag }) => useStream({ url, onToken: (delta) => seen.push(`${tag}:${delta}`) }),
      {
        initialProps: { tag: 'first' },
      },
    );
    act(() => result.current.start());
    await waitFor(() => expect(seen.length).toBeGreaterThan(0));
    rerender({ tag: 'second' });
    await waitFor(() => expect(result.current.status).toBe('done'));
    expect(seen[0]).toBe('first:a');
    expect(seen.at(-1)).toBe('second:d');
    expect(requests).toHaveLength(1);
  });

  it('commits at most once per animation frame while streaming, and commits the final text before done', async () => {
    const frames = installManualFrames();
    try {
      // 2,000 tokens arrive as one burst, faster than any frame.
      const tokens = Array.from({ length: 2000 }, (_, index) => `w${index} `);
      answer(
        url,
        () =>
          new Response(providerEvents('openai', { text: tokens }).join(''), {
            headers: { 'content-type': 'text/event-stream' },
          }),
      );
      let commits = 0;
      const texts: string[] = [];
      function Answer() {
        const stream = useStream({ url });
        texts.push(`${stream.status}:${stream.text.length}`);
        return (
          <button type="button" onClick={() => stream.start()}>
            {stream.status}
          </button>
        );
      }
      render(
        <Profiler id="answer" onRender={() => commits++}>
          <Answer />
        </Profiler>,
      );
      const before = commits;
      act(() => screen.getByRole('button').click());
      await waitFor(() => expect(screen.getByRole('button').textContent).toBe('done'));
      // No frame ran: the tokens could only be published with the terminal status.
      expect(frames.queued).toBeLessThanOrEqual(1);
      expect(commits - before).toBe(2); // connecting, then done with the whole text
      expect(texts.at(-1)).toBe(`done:${tokens.join('').length}`);
    } finally {
      frames.restore();
    }
  });

  it('publishes one commit per frame while a long stream runs', async () => {
    const frames = installManualFrames();
    try {
      answer(url, () =>
        mockStream(
          Array.from({ length: 40 }, (_, index) => `t${index} `),
          { delayMs: 2 },
        ),
      );
      let commits = 0;
      const { result } = renderHook(() => useStream({ url }), {
        wrapper: ({ children }) => (
          <Profiler id="answer" onRender={() => commits++}>
            {children}
          </Profiler>
        ),
      });
      act(() => result.current.start());
      const afterStart = commits;
      let framesRun = 0;
      while (result.current.status !== 'done') {
        await act(async () => {
          await new Promise((resolve) => setTimeout(resolve, 10));
          if (frames.runFrame() > 0) framesRun++;
        });
      }
      // Each frame that ran published at most one commit; the terminal commit is the extra one.
      expect(commits - afterStart).toBeLessThanOrEqual(framesRun + 1);
      expect(framesRun).toBeGreaterThan(1);
    } finally {
      frames.restore();
    }
  });

  it('makes exactly one request per start() under StrictMode', async () => {
    const requests = answer(url, () => mockStream('ok'));
    function Answer() {
      const stream = useStream({ url });
      return (
        <button type="button" onClick={() => stream.start()}>
          {stream.status}:{stream.text}
        </button>
      );
    }
    render(
      <StrictMode>
        <Answer />
      </StrictMode>,
    );
    act(() => screen.getByRole('button').click());
    await waitFor(() => expect(screen.getByRole('button').textContent).toBe('done:ok'));
    expect(requests).toHaveLength(1);
  });

  it('aborts the request on unmount, and nothing updates after', async () => {
    const requests = answer(url, ({ signal }) =>
      mockStream('a long answer that is still coming', { delayMs: 20, signal }),
    );
    const renders = vi.fn<() => void>();
    function Answer({ onStart }: { onStart: (start: () => void) => void }) {
      const stream = useStream({ url });
      renders();
      onStart(stream.start);
      return <p>{stream.text}</p>;
    }
    let start: () => void = () => {};
    const { unmount } = render(<Answer onStart={(value) => (start = value)} />);
    act(() => start());
    await waitFor(() => expect(requests).toHaveLength(1));
    unmount();
    const rendersAtUnmount = renders.mock.calls.length;
    expect(requests[0]!.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(renders.mock.calls.length).toBe(rendersAtUnmount);
  });

  // A thousand real streams started and stopped: seconds on a loaded machine.
  it('leaves no timer, frame or listener behind after 1,000 start/stop cycles', { timeout: 60_000 }, async () => {
    // A response that stays open and silent, using no timers of its own: every timer counted is ours.
    answer(url, () => new ReadableStream<Uint8Array>());
    const active = new Set<unknown>();
    const realSetTimeout = globalThis.setTimeout;
    const realClearTimeout = globalThis.clearTimeout;
    vi.spyOn(globalThis, 'setTimeout').mockImplementation(((callback: () => void, delay?: number) => {
      const handle = realSetTimeout(() => {
        active.delete(handle);
        callback();
      }, delay);
      active.add(handle);
      return handle;
    }) as typeof setTimeout);
    vi.spyOn(globalThis, 'clearTimeout').mockImplementation(((handle: ReturnType<typeof setTimeout>) => {
      active.delete(handle);
      realClearTimeout(handle);
    }) as typeof clearTimeout);
    const { result, unmount } = renderHook(() => useStream({ url, idleTimeoutMs: 5000, firstTokenTimeoutMs: 5000 }));
    for (let cycle = 0; cycle < 1000; cycle++) {
      act(() => result.current.start());
      act(() => result.current.stop());
    }
    expect(result.current.status).toBe('aborted');
    unmount();
    // Aborted requests settle asynchronously; once they have, nothing of ours may be pending.
    await expect.poll(() => active.size, { timeout: 5000 }).toBe(0);
    vi.restoreAllMocks();
  });

  it('waits out Retry-After on fake timers before retrying, showing connecting meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const requests = answer(url, (_request, index) =>
        index === 0
          ? new Response('busy', { status: 503, headers: { 'retry-after': '5' } })
          : mockStream('Back again.'),
      );
      const { result } = renderHook(() =>
        useStream({ url, throttle: false, retry: { attempts: 2, maxDelayMs: 10_000 } }),
      );
      // The code that reads a refused response loads on first use: here before the clock is moved.
      await import('../../../stream-client/src/transport/refusedResponse.js');
      act(() => result.current.start());
      await act(() => vi.advanceTimersByTimeAsync(4_900));
      expect(requests).toHaveLength(1);
      expect(result.current.status).toBe('connecting');
      await act(() => vi.advanceTimersByTimeAsync(200));
      await vi.waitFor(() => expect(requests).toHaveLength(2));
      vi.useRealTimers();
      await waitFor(() => expect(result.current.status).toBe('done'));
      expect(result.current.text).toBe('Back again.');
      expect(result.current.metrics?.attempts).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('takes a body per start and falls back to the options’ body', async () => {
    const requests = answer(url, () => mockStream('ok'));
    const { result } = renderHook(() => {
      const [body] = useState({ from: 'options' });
      return useStream({ url, body });
    });
    act(() => result.current.start());
    await waitFor(() => expect(result.current.status).toBe('done'));
    act(() => result.current.start({ from: 'start' }));
    await waitFor(() => expect(requests).toHaveLength(2));
    expect(requests.map((request) => request.body)).toEqual([{ from: 'options' }, { from: 'start' }]);
  });
});
