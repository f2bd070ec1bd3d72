import type { TokensList } from 'marked';
import { OpenCodeBlock } from './OpenCodeBlock.js';
import { OpenParagraph } from './OpenParagraph.js';

/** The last block of a streaming message, followed as it grows without lexing all of it again. */
export type OpenBlock = OpenCodeBlock | OpenParagraph;

/**
 * The open block at the end of freshly lexed tokens of `source` (which starts at `sourceStart` in
 * the content), if it is one that can be followed: a fenced code block still open, or, with
 * `plainSyntax` (no plugin's syntax, which can span where a piece of a paragraph would end), a
 * paragraph. This module is loaded when the first message streams (see `loadOpenBlocks`).
 */
export function openBlockAfter(
  tokens: TokensList,
  source: string,
  sourceStart: number,
  plainSyntax: boolean,
): OpenBlock | undefined {
  return (
    OpenCodeBlock.after(tokens, source, sourceStart) ??
    (plainSyntax ? OpenParagraph.after(tokens, source, sourceStart) : undefined)
  );
}
