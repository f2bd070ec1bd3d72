'use client';
/**
 * `@sluice/react/query`: TanStack Query integration, on its own entry so that apps without
 * `@tanstack/react-query` never load it.
 *
 * @packageDocumentation
 */
export { streamTextQueryOptions } from './streamTextQueryOptions.js';
export type { StreamTextQueryOptions } from './streamTextQueryOptions.js';
