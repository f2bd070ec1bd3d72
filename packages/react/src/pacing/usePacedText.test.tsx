import { act, renderHook, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import type { ReactNode } from 'react';
import { describe, expect, it } from 'vitest';
import { ManualClock, streamBlocks, providerEvents } from '@sluice/stream-client/testing';
import { useStream } from '../hooks/useStream.js';
import { answer } from '../../test-support/mswServer.js';
import { usePacedText } from './usePacedText.js';

const lump = 'word '.repeat(80);

/** The hook on a manual clock, with a count of its renders. */
function pacedHook(
  initial: { text: string; streaming: boolean },
  wrapper?: (props: { children: ReactNode }) => ReactNode,
) {
  const clock = new ManualClock();
  let renders = 0;
  const hook = renderHook(
    ({ text, streaming }: { text: string; streaming: boolean }) => {
      renders++;
      return usePacedText(text, streaming, { clock });
    },
    { initialProps: initial, ...(wrapper === undefined ? {} : { wrapper }) },
  );
  return { clock, hook, renders: () => renders };
}

/** Runs frames until nothing more is asked for; returns the lengths shown after each. */
function runFrames(clock: ManualClock, current: () => string): number[] {
  const lengths: number[] = [];
  while (lengths.length < 1000) {
    let ran = false;
    act(() => {
      ran = clock.frame();
    });
    if (!ran) break;
    lengths.push(current().length);
  }
  return lengths;
}

describe('usePacedText', () => {
  it('shows the first token at once, then releases a lump over several frames, one render each', () => {
    const { clock, hook, renders } = pacedHook({ text: 'Hello', streaming: true });
    expect(hook.result.current).toBe('Hello');
    clock.advance(100);
    hook.rerender({ text: `Hello ${lump}`, streaming: true });
    // The lump waits for frames: the render it came with shows none of it.
    expect(hook.result.current).toBe('Hello');
    const before = renders();
    const lengths = runFrames(clock, () => hook.result.current);
    expect(hook.result.current).toBe(`Hello ${lump}`);
    expect(new Set(lengths).size).toBeGreaterThan(5);
    // One render per frame that showed more, and none for frames that showed nothing new.
    expect(renders() - before).toBe(new Set(lengths).size);
  });

  it('returns the whole text at once when streaming ends, and asks for no more frames', () => {
    const { clock, hook } = pacedHook({ text: 'Hello', streaming: true });
    hook.rerender({ text: `Hello ${lump}`, streaming: true });
    act(() => {
      clock.frame();
    });
    expect(hook.result.current.length).toBeLessThan(lump.length);
    hook.rerender({ text: `Hello ${lump}`, streaming: false });
    expect(hook.result.current).toBe(`Hello ${lump}`);
    expect(clock.framePending).toBe(false);
  });

  it('shows a new text at once, not paced after the old one', () => {
    const { hook } = pacedHook({ text: 'The first answer', streaming: false });
    hook.rerender({ text: '', streaming: true });
    expect(hook.result.current).toBe('');
    hook.rerender({ text: 'A second', streaming: true });
    expect(hook.result.current).toBe('A second');
  });

  it('paces under StrictMode, and asks for no frame after unmounting', () => {
    const { clock, hook } = pacedHook({ text: 'Hello', streaming: true }, StrictMode);
    hook.rerender({ text: `Hello ${lump}`, streaming: true });
    runFrames(clock, () => hook.result.current);
    expect(hook.result.current).toBe(`Hello ${lump}`);
    hook.rerender({ text: `Hello ${lump}${lump}`, streaming: true });
    expect(clock.framePending).toBe(true);
    hook.unmount();
    expect(clock.framePending).toBe(false);
  });

  it('with useStream, shows everything received at once when the stream is stopped, or fails', async () => {
    const url = 'http://api.test/paced';
    const blocks = providerEvents('anthropic', { text: ['First', ` ${lump}`, ` ${lump}`] });
    answer(url, (_request, index) =>
      index === 0
        ? streamBlocks(blocks.slice(0, -2), 5, undefined, 'stall')
        : streamBlocks(
            [
              ...blocks.slice(0, -3),
              'event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n',
            ],
            5,
          ),
    );
    const clock = new ManualClock();
    const { result } = renderHook(() => {
      const stream = useStream({ url, provider: 'anthropic', retry: false, throttle: false });
      return { stream, shown: usePacedText(stream.text, stream.status === 'streaming', { clock }) };
    });
    act(() => result.current.stream.start());
    // No frame runs on the manual clock: after the first token, the paced text stays behind.
    await waitFor(() => expect(result.current.stream.text.length).toBeGreaterThan(lump.length));
    expect(result.current.shown).toBe('First');
    act(() => result.current.stream.stop());
    expect(result.current.stream.status).toBe('aborted');
    expect(result.current.shown).toBe(result.current.stream.text);

    act(() => result.current.stream.start());
    await waitFor(() => expect(result.current.stream.status).toBe('error'));
    expect(result.current.stream.text.length).toBeGreaterThan(lump.length);
    expect(result.current.shown).toBe(result.current.stream.text);
  });
});
