import type { TokenizerExtension } from 'marked';
import type { MathToken } from './MathToken.js';

/*
 * Inline `$…$` follows Pandoc's rule, which keeps prices text: the opening `$` is followed by a
 * non-space, the closing `$` is preceded by one and not followed by a digit ("$5 and $10" has no
 * closer: the second `$` follows a space). Inline formulas stay on one line. `\$` is a dollar.
 */
const INLINE_DOLLAR = /^\$(?![\s$])((?:\\[^\n]|[^\\$\n])*?(?:\\[^\s]|[^\s\\$]))\$(?!\d)/;
const INLINE_DOUBLE_DOLLAR = /^\$\$(?![\s$])((?:\\[^\n]|[^\\$\n])+?)\$\$/;
const INLINE_PARENTHESES = /^\\\(((?:\\[^)\n]|[^\\\n])+?)\\\)/;
const INLINE_BRACKETS = /^\\\[((?:\\[^\]\n]|[^\\\n])+?)\\\]/;
/** A `$`, `\(` or `\[` that is not itself escaped (an even run of backslashes before it). */
export const INLINE_START = /(?<!\\)(?:\\\\)*(\$|\\\(|\\\[)/;

/** Inline formulas: `$…$`, `\(…\)`, and `$$…$$` or `\[…\]` within a line (displayed). */
export const inlineMath: TokenizerExtension = {
  name: 'math',
  level: 'inline',
  start(source) {
    const match = INLINE_START.exec(source);
    return match === null ? undefined : match.index + match[0].length - match[1]!.length;
  },
  tokenizer(source): MathToken | undefined {
    const character = source[0];
    if (character !== '$' && character !== '\\') return undefined;
    for (const [pattern, display] of INLINE_PATTERNS) {
      const match = pattern.exec(source);
      if (match !== null) return { type: 'math', raw: match[0], text: match[1]!.trim(), display, closed: true };
    }
    return undefined;
  },
};

const INLINE_PATTERNS: readonly (readonly [RegExp, boolean])[] = [
  [INLINE_DOUBLE_DOLLAR, true],
  [INLINE_DOLLAR, false],
  [INLINE_PARENTHESES, false],
  [INLINE_BRACKETS, true],
];
