import { BLOCK_START, blockMath } from './blockMath.js';
import { INLINE_START, inlineMath } from './inlineMath.js';

/** Where the tokenizers' formulas may start, every one of them. */
const BLOCK_STARTS = new RegExp(BLOCK_START.source, 'g');
const INLINE_STARTS = new RegExp(INLINE_START.source, 'g');

/**
 * The text with every formula's characters (but its line breaks) replaced by letters, length kept,
 * so that completing unfinished markdown reads no emphasis, link or table inside TeX: `$x^*$` does
 * not open an emphasis for the completion to close, and an open `\left[` keeps its bracket.
 */
export function maskMath(text: string): string {
  const spans: [number, number][] = [];
  for (const match of text.matchAll(BLOCK_STARTS)) {
    const at = match.index + (match[0][0] === '\n' ? 1 : 0);
    if (spans.length > 0 && at < spans.at(-1)![1]) continue;
    const token = blockMath.tokenizer.call(undefined as never, text.slice(at), []);
    if (token !== undefined) spans.push([at, at + token.raw.length]);
  }
  const blocks = spans.length;
  for (const match of text.matchAll(INLINE_STARTS)) {
    // The match takes the even run of backslashes before the delimiter; an escaped one never matches.
    const at = match.index + match[0].length - match[1]!.length;
    if (inside(spans, at, blocks) || (spans.length > blocks && at < spans.at(-1)![1])) continue;
    const lineEnd = text.indexOf('\n', at);
    const token = inlineMath.tokenizer.call(
      undefined as never,
      text.slice(at, lineEnd === -1 ? undefined : lineEnd),
      [],
    );
    if (token !== undefined) spans.push([at, at + token.raw.length]);
  }
  if (spans.length === 0) return text;
  let masked = '';
  let copied = 0;
  // The list is this function's own (and the package's target has no toSorted).
  // oxlint-disable-next-line unicorn/no-array-sort
  for (const [start, end] of spans.sort((a, b) => a[0] - b[0])) {
    masked += text.slice(copied, start) + text.slice(start, end).replace(/[^\n]/g, 'x');
    copied = end;
  }
  return masked + text.slice(copied);
}

function inside(spans: readonly [number, number][], at: number, count: number): boolean {
  for (let index = 0; index < count; index++) if (at >= spans[index]![0] && at < spans[index]![1]) return true;
  return false;
}
