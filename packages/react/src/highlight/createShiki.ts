import { createHighlighterCore } from 'shiki/core';
import type { HighlighterCore, ThemeInput } from 'shiki/core';
import { createJavaScriptRegexEngine } from 'shiki/engine/javascript';

/**
 * Shiki's core with the JavaScript regex engine and the given themes, no language yet. This module
 * is the chunk loaded with the first code block: the JavaScript engine needs no WebAssembly
 * download, and each language's grammar is a chunk of its own, loaded when a block first uses it.
 */
export function createShiki(themes: readonly ThemeInput[]): Promise<HighlighterCore> {
  return createHighlighterCore({ engine: createJavaScriptRegexEngine(), themes: [...themes], langs: [] });
}
