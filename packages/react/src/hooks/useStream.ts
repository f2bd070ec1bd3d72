'use client';
import { useMemo, useSyncExternalStore } from 'react';
import { TextStreamStore } from '@sluice/stream-client';
import type { TextStreamSnapshot, TextStreamStoreOptions } from '@sluice/stream-client';
import { useOwnedStore } from './useOwnedStore.js';

/** Options of {@link useStream}: the request, the throttle (`'frame'` by default) and callbacks. */
export type UseStreamOptions = TextStreamStoreOptions;

/** What {@link useStream} returns: the stream's state and its actions. */
export interface UseStreamResult extends TextStreamSnapshot {
  /** Starts a stream, with `body` or the options' body; one in flight is aborted first. */
  start(body?: unknown): void;
  /** Aborts the request; the text so far stays and `status` becomes `'aborted'`. */
  stop(): void;
  /** Starts again with the last body. */
  retry(): void;
  /** Aborts and goes back to idle. */
  reset(): void;
}

/**
 * Streams one answer: `start()` it, render `text` and `status`. Renders at most once per animation
 * frame while tokens arrive; unmounting aborts the request. Nothing starts on its own, so a
 * component under StrictMode still makes exactly one request per `start()`.
 *
 * @example
 * ```tsx
 * const answer = useStream({ url: '/api/answer', provider: 'sluice' });
 * return (
 *   <>
 *     <button onClick={() => answer.start({ question })}>Ask</button>
 *     <p aria-busy={answer.status === 'streaming'}>{answer.text}</p>
 *   </>
 * );
 * ```
 */
export function useStream(options: UseStreamOptions): UseStreamResult {
  const store = useOwnedStore((initial) => new TextStreamStore(initial), options);
  const snapshot = useSyncExternalStore(store.subscribe, store.getSnapshot, store.getServerSnapshot);
  return useMemo(
    () => ({ ...snapshot, start: store.start, stop: store.stop, retry: store.retry, reset: store.reset }),
    [snapshot, store],
  );
}
