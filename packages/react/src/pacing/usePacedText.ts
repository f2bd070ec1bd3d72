'use client';
import { useEffect, useState, useSyncExternalStore } from 'react';
import { TextPacer } from '@sluice/stream-client/pacing';
import type { TextPacerOptions } from '@sluice/stream-client/pacing';
import { useIsomorphicLayoutEffect } from '../hooks/useIsomorphicLayoutEffect.js';

/** Options of {@link usePacedText}: the longest delay (`maxDelayMs`, 300 by default), and the clock; read when the component mounts. */
export type UsePacedTextOptions = TextPacerOptions;

/**
 * Streamed text shown at the pace it arrives, not in the lumps a bursty provider sends: a
 * {@link TextPacer} from `@sluice/stream-client/pacing` behind `useSyncExternalStore`. While
 * `streaming`, it renders once per animation frame while characters are waiting; the first token
 * shows at once, and nothing waits longer than `maxDelayMs`. Once `streaming` is false (finished,
 * stopped, failed) it returns `text` itself, at once.
 *
 * @example
 * ```tsx
 * const shown = usePacedText(answer.text, answer.status === 'streaming');
 * return <StreamingMessage content={shown} streaming={answer.status === 'streaming'} />;
 * ```
 */
export function usePacedText(text: string, streaming: boolean, options?: UsePacedTextOptions): string {
  const [pacer] = useState(() => {
    const created = new TextPacer(options);
    // The text at mount shows at once, as a first token does: no render with nothing in it.
    created.push(text);
    return created;
  });
  // Before paint, so a text that starts afresh never shows the old one for a frame.
  useIsomorphicLayoutEffect(() => {
    pacer.push(text);
    if (!streaming) pacer.finish();
  }, [pacer, text, streaming]);
  useEffect(() => () => pacer.dispose(), [pacer]);
  const shown = useSyncExternalStore(pacer.subscribe, pacer.getSnapshot, () => text);
  return streaming ? shown : text;
}
