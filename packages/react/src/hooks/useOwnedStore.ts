'use client';
import { useEffect, useState } from 'react';
import { useIsomorphicLayoutEffect } from './useIsomorphicLayoutEffect.js';

/** A store a component creates, feeds options to, and lets go of. */
interface OwnedStore<Options> {
  setOptions(options: Options): void;
  dispose(): void;
}

/**
 * The store a hook owns: made once per component (StrictMode may make a spare, which is never
 * started), handed the latest options on every render so callbacks are never stale, and disposed
 * on unmount, which aborts whatever it was streaming.
 */
export function useOwnedStore<Options, Store extends OwnedStore<Options>>(
  create: (options: Options) => Store,
  options: Options,
): Store {
  const [store] = useState(() => create(options));
  useIsomorphicLayoutEffect(() => {
    store.setOptions(options);
  });
  useEffect(() => () => store.dispose(), [store]);
  return store;
}
