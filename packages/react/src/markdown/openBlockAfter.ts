import type { MarkedOptions, TokensList } from 'marked';
import { lexerOptions } from './lexerOptions.js';
import { OpenCodeBlock } from './OpenCodeBlock.js';
import { OpenParagraph } from './OpenParagraph.js';

/** The last block of a streaming message, followed as it grows without lexing all of it again. */
export type OpenBlock = OpenCodeBlock | OpenParagraph;

/**
 * The open block at the end of freshly lexed tokens of `source` (which starts at `sourceStart` in
 * the content), if it is one that can be followed: a fenced code block still open, or, lexed with
 * the plain `options` (no plugin's syntax, which can span where a piece of a paragraph would end),
 * a paragraph. The block followed until now, `previous`, hands its pieces to its place in the new
 * tokens, so the paragraph it was keeps its elements as it settles. This module is loaded when the
 * first message streams (see `loadOpenBlocks`).
 */
export function openBlockAfter(
  tokens: TokensList,
  source: string,
  sourceStart: number,
  options: MarkedOptions,
  previous: OpenBlock | undefined,
): OpenBlock | undefined {
  if (previous instanceof OpenParagraph) previous.keepPieces(tokens, sourceStart);
  return (
    OpenCodeBlock.after(tokens, source, sourceStart) ??
    (options === lexerOptions ? OpenParagraph.after(tokens, source, sourceStart) : undefined)
  );
}
