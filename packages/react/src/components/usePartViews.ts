'use client';
import { useEffect, useSyncExternalStore } from 'react';

/** The views `PartViews` holds: reasoning, tool calls, the provider's own tools, sources, files. */
export type PartViewModule = typeof import('./PartViews.js');

let views: PartViewModule | undefined;
let loading: Promise<void> | undefined;
const listeners = new Set<() => void>();

/**
 * Loads the views of reasoning, tool calls, server tools, sources and files, once. `Chat` starts it when it
 * mounts, so they are here before a reply needs them; a message that holds such parts starts it too.
 */
export function loadPartViews(): Promise<void> {
  loading ??= import('./PartViews.js').then(
    (module) => {
      views = module;
      for (const listener of listeners) listener();
    },
    () => {
      // Not loaded (offline, a deploy replaced the chunk): the next call tries again.
      loading = undefined;
    },
  );
  return loading;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const serverSnapshot = () => undefined;
const clientSnapshot = () => views;

/**
 * The loaded views, or `undefined` until they are; `needed` starts loading them, once the
 * component has rendered. Server rendering and hydration see `undefined` alike, so the page the
 * server sent hydrates without a mismatch.
 */
export function usePartViews(needed: boolean): PartViewModule | undefined {
  const loaded = useSyncExternalStore(subscribe, clientSnapshot, serverSnapshot);
  useEffect(() => {
    if (needed) void loadPartViews();
  }, [needed]);
  return loaded;
}
