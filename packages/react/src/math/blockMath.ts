import type { TokenizerExtension } from 'marked';
import type { MathToken } from './MathToken.js';

/** A line that opens a displayed formula: `$$` or `\[` after at most three spaces. */
const BLOCK_OPEN = /^ {0,3}(\$\$|\\\[)/;
/** Where a displayed formula on lines of its own may start: a line beginning `$$` or `\[`. */
export const BLOCK_START = /(?:^|\n) {0,3}(?:\$\$|\\\[)/;

/**
 * Displayed formulas on lines of their own: `$$` or `\[` at a line's start, up to `$$` or `\]`
 * ending a line. Unclosed, the formula runs to the end of the text, as an unclosed code fence does:
 * while the answer streams, that is the formula still being written, shown as its source.
 */
export const blockMath: TokenizerExtension = {
  name: 'mathBlock',
  level: 'block',
  start(source) {
    const match = BLOCK_START.exec(source);
    if (match === null) return undefined;
    return match.index + (match[0][0] === '\n' ? 1 : 0);
  },
  tokenizer(source): MathToken | undefined {
    const open = BLOCK_OPEN.exec(source);
    if (open === null) return undefined;
    const closer = open[1] === '$$' ? '$$' : '\\]';
    const from = open[0].length;
    let search = source.indexOf(closer, from);
    while (search !== -1) {
      const lineEnd = source.indexOf('\n', search);
      const after = source.slice(search + closer.length, lineEnd === -1 ? source.length : lineEnd);
      if (after.trim() === '') {
        const end = lineEnd === -1 ? source.length : lineEnd + 1;
        const text = source.slice(from, search).trim();
        // "$$x$$ more text" is a paragraph with a formula in it, and "$$$$" is no formula at all.
        if (text !== '') return { type: 'mathBlock', raw: source.slice(0, end), text, display: true, closed: true };
        return undefined;
      }
      // A closer followed by more text on its line: the opener began a paragraph, unless that closer was on a later line.
      if (source.lastIndexOf('\n', search) < from) return undefined;
      search = source.indexOf(closer, search + closer.length);
    }
    return { type: 'mathBlock', raw: source, text: source.slice(from).trim(), display: true, closed: false };
  },
};
