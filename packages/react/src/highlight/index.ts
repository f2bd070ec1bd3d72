'use client';
/**
 * `@sluice/react/highlight`: code blocks highlighted with shiki as they stream, on its own entry
 * so that apps without it never load it, nor shiki.
 *
 * @packageDocumentation
 */
export { highlight } from './highlight.js';
export type { HighlightOptions } from './highlight.js';
export type { LanguageLoader, ThemeLoader, WorkerOption } from './CodeHighlighter.js';
