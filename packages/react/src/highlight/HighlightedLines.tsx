import type { ReactElement } from 'react';
import type { GrammarState, ThemedToken } from 'shiki/core';
import type { LineTokenizer } from './CodeHighlighter.js';

/**
 * A code block's highlighted lines, kept as the block grows: each complete line is tokenized once,
 * continuing from the grammar's state after the line before it, and rendered once. Lines are only
 * ever appended, so a line once highlighted stays highlighted; if the block's text stops being a
 * continuation of what was highlighted, its component starts new lines instead of changing these.
 */
export class HighlightedLines {
  /** One element per highlighted line, in order; each but the first of a group begins with its newline. */
  readonly elements: ReactElement[] = [];
  /** Where the highlighted text ends in the code: the end of the last highlighted line, before its newline. */
  end = 0;
  /** The last line too is highlighted: the code is complete, and nothing may follow. */
  complete = false;
  /** The code last highlighted from, to compare a block's later text with. */
  private source = '';
  private lastStart = 0;
  private state: GrammarState | undefined;

  constructor(readonly language: string) {}

  /**
   * Whether `code` is the text these lines were highlighted from, perhaps with more lines after.
   * On an update, only the last highlighted line and what follows it are compared (the cost of an
   * update must not grow with the block); `whole` compares everything, for a block that mounts.
   */
  isContinuedBy(code: string, whole = false): boolean {
    if (this.elements.length === 0) return true;
    if (code.length < this.end) return false;
    if (code.length > this.end && (this.complete || code.charCodeAt(this.end) !== NEWLINE)) return false;
    const from = whole ? 0 : this.lastStart;
    return code.startsWith(this.source.slice(from, this.end), from);
  }

  /**
   * Highlights the lines of `code` that are complete and not yet highlighted, the last line too if
   * `complete`, stopping after the line that takes it past `budget` characters (a count, not a time,
   * so that what a render shows does not depend on how busy the machine is). Returns whether it got
   * to the end.
   */
  advance(code: string, complete: boolean, tokenize: LineTokenizer, budget: number): boolean {
    this.source = code;
    let spent = 0;
    while (!this.complete) {
      const start = this.elements.length === 0 ? 0 : this.end + 1;
      let lineEnd = start > code.length ? -1 : code.indexOf('\n', start);
      if (lineEnd === -1) {
        if (!complete) return true;
        // The fence closed: the line that was being written is complete. A fence whose last line
        // was the fence itself half-written ends at a line already highlighted.
        if (start > code.length) {
          this.complete = true;
          return true;
        }
        lineEnd = code.length;
      }
      const { tokens, state } = tokenize(code.slice(start, lineEnd), this.state);
      this.state = state;
      this.elements.push(renderLine(tokens, this.elements.length));
      this.lastStart = start;
      this.end = lineEnd;
      if (lineEnd === code.length && complete) this.complete = true;
      spent += lineEnd - start + 1;
      if (spent > budget) return this.complete;
    }
    return true;
  }
}

const NEWLINE = 10;

/**
 * Highlighted lines are laid out in blocks of this many lines: a change to the line being written
 * then lays out that line and the last block again, not a thousand coloured spans in one run of text.
 */
export const LINES_PER_GROUP = 32;

/**
 * A line as React elements, the model's text as text. Only the colour comes from the theme, as
 * `light-dark()` of its light and dark themes' colours: a theme's bold or italic could change the
 * width of a line, and the swap from plain text must move nothing.
 */
function renderLine(tokens: readonly ThemedToken[], index: number): ReactElement {
  return (
    <span key={index}>
      {index % LINES_PER_GROUP > 0 ? '\n' : null}
      {tokens.map((token, position) => (
        <span key={position} style={tokenStyle(token)}>
          {token.content}
        </span>
      ))}
    </span>
  );
}

function tokenStyle({ htmlStyle }: ThemedToken) {
  const light = htmlStyle?.['--shiki-light'];
  const dark = htmlStyle?.['--shiki-dark'];
  return light === undefined || dark === undefined ? undefined : { color: `light-dark(${light}, ${dark})` };
}
