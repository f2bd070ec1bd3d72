import { Lexer } from 'marked';
import type { MarkedOptions, Token } from 'marked';
import { completeUnfinishedMarkdown } from './completeUnfinishedMarkdown.js';
import { lexerOptions } from './lexerOptions.js';
import type { CombinedMarkdownPlugin } from './MarkdownPlugin.js';
import type { OpenBlock, openBlockAfter } from './openBlockAfter.js';

/** One top-level block of a document, keyed by where it starts in the content (stable as the text grows). */
export interface MarkdownBlock {
  readonly key: string;
  readonly token: Token;
}

/** The blocks of a document: those that can no longer change, and the tail that still can. */
export interface MarkdownBlockList {
  readonly settled: readonly MarkdownBlock[];
  readonly tail: readonly MarkdownBlock[];
}

/** How many characters at each end of the settled text are checked to be unchanged on each update. */
const SETTLED_WITNESS = 64;
let openBlocks: typeof openBlockAfter | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads what follows a long streaming paragraph or code block without lexing all of it on each
 * update, once, when the first message streams; most answers' blocks are short, so it is not in
 * the first load. Until it is here, the last block is lexed whole, as it is if it cannot be
 * loaded (offline, say).
 */
export function loadOpenBlocks(): Promise<void> {
  return (loading ??= import('./openBlockAfter.js').then(
    (module) => {
      openBlocks = module.openBlockAfter;
    },
    () => {},
  ));
}

/**
 * Splits growing markdown into blocks with marked's lexer, re-lexing only the unsettled tail on
 * each update, so the total work over a stream is linear in its length. A block is settled once
 * the first line of the block after it is complete: markdown's block structure is decided line by
 * line, so nothing appended later can change it. Settled blocks keep their token objects, which
 * lets the renderer skip them.
 *
 * It falls back to lexing everything when the new content does not extend the old, and for the
 * rare documents where a later line can change an earlier block (link reference definitions) or
 * whose line endings need normalising (CR). Whether the content extends the old is checked on the
 * unsettled tail whole, and on the settled text at its start and its end only: comparing all of it
 * on every update would make a stream's total work quadratic. Replacing text in the middle of what
 * has settled, keeping its length and both ends, is therefore not seen; give such content a new
 * React `key` instead.
 */
export class MarkdownBlocks {
  private content = '';
  private settled: MarkdownBlock[] = [];
  private settledEnd = 0;
  private wholeDocument = false;
  /** The paragraph or code block the streaming content ends in, followed without lexing it whole. */
  private open: OpenBlock | undefined;
  private readonly options: MarkedOptions;
  private readonly complete: (text: string) => string;

  /** @param plugin The message's plugins, combined: their syntax, and the text they hold back while it streams. */
  constructor(readonly plugin?: CombinedMarkdownPlugin) {
    this.options = plugin?.lexerOptions ?? lexerOptions;
    this.complete = plugin?.complete ?? completeUnfinishedMarkdown;
  }

  /**
   * The blocks of `content`; `streaming` completes unfinished syntax at its end, and `holding`
   * (more is coming) lets plugins hold back what is unfinished: a reply cut short shows all it got.
   */
  update(content: string, streaming: boolean, holding?: boolean): MarkdownBlockList {
    if (holding && this.plugin) content = this.plugin.holdBack(content);
    if (!this.extendsPrevious(content) || content.includes('\r', this.content.length)) {
      this.settled = [];
      this.settledEnd = 0;
      this.wholeDocument = content.includes('\r');
      this.open = undefined;
    }
    this.content = content;
    if (this.wholeDocument) return { settled: [], tail: this.lexAll(content.replace(/\r\n?/g, '\n'), streaming) };

    const source = content.slice(this.settledEnd);
    let tokens = streaming ? this.open?.lex(source, this.settledEnd) : undefined;
    if (tokens === undefined) {
      tokens = Lexer.lex(streaming ? this.complete(source) : source, this.options);
      // The end of a stream settles its last block like the start of the next one does: the
      // paragraph followed until then hands over its pieces, so its elements stay as they are.
      const open =
        streaming || this.open !== undefined
          ? (openBlocks ?? void loadOpenBlocks())?.(tokens, source, this.settledEnd, this.options, this.open)
          : undefined;
      // The same paragraph lexed whole for a moment (a line the completion rewrote): its pieces still hold.
      if (open?.start !== this.open?.start) this.open = open;
    }
    if (Object.keys(tokens.links).length > 0) {
      // A reference definition can change links anywhere before it: no block is final.
      this.wholeDocument = true;
      this.settled = [];
      this.settledEnd = 0;
      return { settled: [], tail: this.lexAll(content, streaming) };
    }

    const offsets = tokenOffsets(tokens);
    let first = 0;
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.type === 'space') continue;
      const next = nextBlock(tokens, index);
      if (next === -1) break;
      const nextStart = offsets[next]!;
      // The next block's first line must be whole in the real text (not just in its completion).
      if (nextStart >= source.length || source.indexOf('\n', nextStart) === -1) break;
      this.settled.push({ key: String(this.settledEnd + offsets[index]!), token });
      first = next;
    }
    const tail: MarkdownBlock[] = [];
    for (let index = first; index < tokens.length; index++) {
      const token = tokens[index]!;
      if (token.type !== 'space') tail.push({ key: String(this.settledEnd + offsets[index]!), token });
    }
    if (first > 0) this.settledEnd += offsets[first]!;
    return { settled: this.settled, tail };
  }

  /** Whether `content` is the previous content with more appended (see the class comment for how far this looks). */
  private extendsPrevious(content: string): boolean {
    const previous = this.content;
    if (content.length < previous.length) return false;
    const end = this.settledEnd;
    // The tail is compared whole, as it is usually lexed again anyway; a long open code block that
    // is not costs a comparison of its text, far cheaper than the lexing it saves.
    if (!content.startsWith(end === 0 ? previous : previous.slice(end), end)) return false;
    const witness = Math.min(SETTLED_WITNESS, end);
    return (
      content.startsWith(previous.slice(0, witness)) &&
      content.startsWith(previous.slice(end - witness, end), end - witness)
    );
  }

  private lexAll(content: string, streaming: boolean): MarkdownBlock[] {
    const tokens = Lexer.lex(streaming ? this.complete(content) : content, this.options);
    const offsets = tokenOffsets(tokens);
    const blocks: MarkdownBlock[] = [];
    tokens.forEach((token, index) => {
      if (token.type !== 'space') blocks.push({ key: String(offsets[index]), token });
    });
    return blocks;
  }
}

/** Where each token starts in the lexed text: marked's raw strings add up to the source. */
function tokenOffsets(tokens: readonly Token[]): number[] {
  const offsets: number[] = [];
  let offset = 0;
  for (const token of tokens) {
    offsets.push(offset);
    offset += token.raw.length;
  }
  return offsets;
}

function nextBlock(tokens: readonly Token[], index: number): number {
  for (let next = index + 1; next < tokens.length; next++) if (tokens[next]!.type !== 'space') return next;
  return -1;
}
