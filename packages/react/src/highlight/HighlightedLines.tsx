import type { ReactElement } from 'react';
import type { HighlightedToken, TokenizerReply, TokenizerRequest } from './TokenizerRequest.js';

type LinesRequest = Extract<TokenizerRequest, { type: 'lines' }>;
type LinesReply = Extract<TokenizerReply, { type: 'lines' }>;

/**
 * A code block's highlighted lines, kept as the block grows. Each complete line is sent to the
 * tokenizer once, in batches, and comes back highlighted later; until then it shows plain. Lines
 * are only ever appended, so a line once highlighted stays highlighted; if the block's text stops
 * being a continuation of what was sent, its component starts new lines instead of changing these.
 */
export class HighlightedLines {
  /** One element per highlighted line, in order; each but the first of a group begins with its newline. */
  readonly elements: ReactElement[] = [];
  /** Where the highlighted text ends in the code: the end of the last highlighted line, before its newline. */
  end = 0;
  /** The last line too is highlighted: the code is complete, and nothing may follow. */
  complete = false;
  /** The code last seen, to compare a block's later text with, and to send again from. */
  private source = '';
  private sourceComplete = false;
  /** How many lines were sent, the end of the last one, and where it starts. */
  private sentCount = 0;
  private sentEnd = 0;
  private lastSentStart = 0;
  /** The last line was sent: nothing may follow. */
  private sentComplete = false;
  /** The tokenizer the lines were sent to; another one (or none, -1) has none of this block's state. */
  private sentTo = -1;
  /** Where each sent line ends, by index: a line that comes back highlighted moves `end` there. */
  private readonly ends: number[] = [];
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(
    readonly id: number,
    readonly language: string,
  ) {}

  /** For `useSyncExternalStore`: calls `listener` when lines come back highlighted. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** For `useSyncExternalStore`: changes when lines come back highlighted. */
  readonly snapshot = (): number => this.version;

  /**
   * Whether `code` is the text these lines were sent from, perhaps with more lines after. On an
   * update, only the last sent line and what follows it are compared (the cost of an update must
   * not grow with the block); `whole` compares everything, for a block that mounts.
   */
  isContinuedBy(code: string, whole = false): boolean {
    // Nothing sent yet: its own block goes on with it, but another block (`whole`) must not share it.
    if (this.sentCount === 0) return !whole;
    if (code.length < this.sentEnd) return false;
    if (code.length > this.sentEnd && (this.sentComplete || code.charCodeAt(this.sentEnd) !== NEWLINE)) return false;
    const from = whole ? 0 : this.lastSentStart;
    return code.startsWith(this.source.slice(from, this.sentEnd), from);
  }

  /**
   * The requests that send the lines of `code` that are complete and not yet sent, the last line
   * too if `complete`, in batches of about `batch` characters. `tokenizer` numbers the tokenizer
   * they go to: to a new one (the worker failed, or this block's state was freed), every line is
   * sent again, so that it has the grammar state to continue from; lines that come back twice are
   * kept once.
   */
  requests(code: string, complete: boolean, language: string, tokenizer: number, batch: number): LinesRequest[] {
    this.source = code;
    this.sourceComplete = complete;
    // All back: a tokenizer that replaced the one these came from needs none of this block's state.
    if (this.complete) return none;
    if (this.sentTo !== tokenizer) {
      this.sentTo = tokenizer;
      this.sentCount = 0;
      this.sentEnd = 0;
      this.sentComplete = false;
    }
    if (this.sentComplete) return none;
    const requests: LinesRequest[] = [];
    let size = batch;
    while (!this.sentComplete) {
      const start = this.sentCount === 0 ? 0 : this.sentEnd + 1;
      let lineEnd = start > code.length ? -1 : code.indexOf('\n', start);
      if (lineEnd === -1 && !complete) break;
      if (size >= batch) {
        requests.push({ type: 'lines', block: this.id, language, start: this.sentCount, lines: [], last: false });
        size = 0;
      }
      const request = requests.at(-1)!;
      if (lineEnd === -1) {
        // The fence closed: the line that was being written is complete. A fence whose last line
        // was the fence itself half-written ends at a line already sent.
        if (start > code.length) {
          this.sentComplete = request.last = true;
          break;
        }
        lineEnd = code.length;
      }
      request.lines.push(code.slice(start, lineEnd));
      this.ends[this.sentCount++] = lineEnd;
      this.lastSentStart = start;
      this.sentEnd = lineEnd;
      if (lineEnd === code.length && complete) this.sentComplete = request.last = true;
      size += lineEnd - start + 1;
    }
    return requests;
  }

  /** Sends every line again, to a tokenizer that has none of this block's state. */
  again(language: string, tokenizer: number, batch: number): LinesRequest[] {
    return this.requests(this.source, this.sourceComplete, language, tokenizer, batch);
  }

  /** Forgets the tokenizer's state of this block, which was freed: more lines will send all again. */
  forget(): void {
    this.sentTo = -1;
  }

  /** Appends the lines that came back highlighted, skipping those it already has. */
  receive(reply: LinesReply): void {
    const before = this.elements.length;
    const wasComplete = this.complete;
    // Lines come back in order; those before `before` were sent again to a new tokenizer.
    for (let index = before; index < reply.start + reply.lines.length && index >= reply.start; index++) {
      this.elements.push(renderLine(reply.lines[index - reply.start]!, index));
      this.end = this.ends[index]!;
    }
    if (this.sentComplete && this.elements.length === this.sentCount) this.complete = true;
    if (this.elements.length === before && this.complete === wasComplete) return;
    this.version++;
    for (const listener of this.listeners) listener();
  }
}

const NEWLINE = 10;
const none: LinesRequest[] = [];

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
function renderLine(tokens: readonly HighlightedToken[], index: number): ReactElement {
  return (
    <span key={index}>
      {index % LINES_PER_GROUP > 0 ? '\n' : null}
      {tokens.map((token, position) => (
        <span
          key={position}
          style={token.light === undefined ? undefined : { color: `light-dark(${token.light}, ${token.dark})` }}
        >
          {token.content}
        </span>
      ))}
    </span>
  );
}
