import { Lexer } from 'marked';
import type { Token, Tokens, TokensList } from 'marked';
import { completeUnfinishedInline, isClosedInline, rewritesEnd } from './completeUnfinishedMarkdown.js';
import { lexerOptions } from './lexerOptions.js';

/**
 * The last paragraph of a streaming message, its inline tokens in two parts: pieces of its text
 * that nothing appended can change, lexed once, and the rest, lexed on each update. `tokens` holds
 * them all, in order, for whatever reads the paragraph whole.
 */
export interface PiecedParagraph extends Tokens.Paragraph {
  /**
   * Each closed piece, as a text token holding its inline tokens: the same objects from one
   * update to the next, so the view of each, memoised on its token, renders once.
   */
  readonly pieces: readonly Tokens.Text[];
  /** The inline tokens of the text after the pieces. */
  readonly rest: readonly Token[];
}

/** How far the open text runs past a piece before the next piece is closed off, in characters. */
const PIECE_LENGTH = 64;

/**
 * A paragraph at the end of a streaming message, lexed a piece at a time. Models write paragraphs
 * of thousands of characters on one line; lexing, completing and rendering all of one again for
 * every four characters would make each update cost what the paragraph costs. Instead, whenever
 * its open text grows long, the part before a space that leaves nothing open (no emphasis, code
 * span or link for later text to finish, see `isClosedInline`) becomes a piece, lexed once and
 * kept; each update lexes and completes only the text after the pieces.
 *
 * Block structure is still decided by marked on the whole unsettled text, each update: only the
 * paragraph's inline lexing is split. Anything this cannot vouch for (the last line is one the
 * completion rewrites as a block, the paragraph moved or is no longer last) is left to the caller's
 * whole lexing, which then decides whether there is a paragraph to follow.
 */
export class OpenParagraph {
  /** How much of the paragraph's text the pieces hold. */
  private closed = 0;
  private readonly pieces: Tokens.Text[] = [];
  private readonly closedTokens: Token[] = [];
  /** Where in the content the open text must reach before a piece is tried again. */
  private nextTry = 0;
  /** The blocks before the paragraph, while its last line is decided (see `blocksBefore`). */
  private before: Token[] | undefined;
  /** How far into the source, which started at `checkedStart`, no line break has come since. */
  private checked = 0;
  private checkedStart = 0;
  /** One lexer for the paragraph's inline text: a new one per update costs more than the lexing. */
  private readonly inline = new Lexer(lexerOptions);

  /** @param start Where the paragraph's text starts in the whole content. */
  constructor(readonly start: number) {}

  /**
   * The paragraph to follow in freshly lexed tokens of `source`, which starts at `sourceStart` in
   * the content: the last block, when it is a paragraph that starts after a blank line (or where
   * the source does) and whose first characters cannot turn it into another block as it grows.
   */
  static after(tokens: TokensList, source: string, sourceStart: number): OpenParagraph | undefined {
    const last = tokens.at(-1);
    if (last?.type !== 'paragraph' || Object.keys(tokens.links).length > 0) return undefined;
    let at = 0;
    for (let index = 0; index < tokens.length - 1; index++) at += tokens[index]!.raw.length;
    // A paragraph's first characters can still make it a reference definition, a table or HTML.
    if (!/^[^\s[<|]/.test(source.slice(at, at + 1))) return undefined;
    // The completion reads a paragraph from the blank line before it.
    if (at > 0 && !source.startsWith('\n\n', at - 2)) return undefined;
    return new OpenParagraph(sourceStart + at);
  }

  /**
   * The tokens of `source` (the unsettled text, starting at `sourceStart` in the content) with
   * this paragraph last, its pieces reused and its rest completed and lexed; undefined when the
   * source no longer ends in this paragraph as it was, for the caller to lex whole.
   */
  lex(source: string, sourceStart: number): TokensList | undefined {
    const at = this.start - sourceStart;
    const restStart = at + this.closed;
    if (at < 0 || restStart > source.length) return undefined;
    const rest = completeUnfinishedInline(source.slice(restStart));
    const tokens = this.blocksBefore(source, sourceStart, at, restStart, rest);
    if (tokens === undefined) return undefined;
    // The paragraph's own text leaves out the line break that ends it, if one has come.
    const restTokens = this.inline.inlineTokens(rest.endsWith('\n') ? rest.slice(0, -1) : rest);
    // The pieces closed so far: closeOff may add one after this update's rest was lexed.
    const closedTokens = this.closedTokens;
    const closedCount = closedTokens.length;
    Object.defineProperties(tokens.at(-1)!, {
      pieces: { value: this.pieces.slice(), enumerable: true },
      rest: { value: restTokens, enumerable: true },
      // Whole only when something reads it whole (the view reads the pieces and the rest): joining
      // them on every update would cost what the paragraph costs.
      tokens: {
        get: () => closedTokens.slice(0, closedCount).concat(restTokens),
        enumerable: true,
        configurable: true,
      },
    });
    this.closeOff(source, at);
    return tokens;
  }

  /**
   * Gives this paragraph's pieces to the paragraph at its place in `tokens` (freshly lexed from
   * `sourceStart` in the content), when that is still this paragraph: it has settled, or marked
   * lexed it whole for a moment. The view then renders the same pieces, which React skips, and
   * only the text after them; otherwise the thousands of characters before would be built again,
   * all in one frame, and a selection in them lost.
   */
  keepPieces(tokens: TokensList, sourceStart: number): void {
    const last = this.pieces.at(-1);
    if (last === undefined) return;
    let at = sourceStart;
    for (const token of tokens) {
      if (at === this.start) {
        // Its text still holds the pieces where they were (the last one checked: the content only grows).
        if (token.type === 'paragraph' && token.text.startsWith(last.raw, this.closed - last.raw.length)) {
          Object.defineProperties(token, {
            pieces: { value: this.pieces.slice(), enumerable: true },
            rest: { value: this.inline.inlineTokens(token.text.slice(this.closed)), enumerable: true },
          });
        }
        return;
      }
      at += token.raw.length;
    }
  }

  /**
   * The blocks of `source`, the last one this paragraph with its inline tokens still to fill in.
   * While the paragraph's last line grows, with nothing in it that could yet make it another
   * block, the blocks before the paragraph are those found when that line was decided, and
   * nothing is lexed again; otherwise marked decides the blocks afresh.
   */
  private blocksBefore(
    source: string,
    sourceStart: number,
    at: number,
    restStart: number,
    rest: string,
  ): TokensList | undefined {
    const before = this.before;
    if (before !== undefined && sourceStart === this.checkedStart && source.indexOf('\n', this.checked) === -1) {
      this.checked = source.length;
      const paragraph: Tokens.Paragraph = { type: 'paragraph', raw: source.slice(at), text: '', tokens: [] };
      return Object.assign([...before, paragraph], { links: {} });
    }
    if (rewritesEnd(source)) return undefined;
    const lexer = new Lexer(lexerOptions);
    const tokens = lexer.tokens;
    lexer.blockTokens(source.slice(0, restStart) + rest, tokens);
    const last = tokens.at(-1);
    if (
      last?.type !== 'paragraph' ||
      Object.keys(tokens.links).length > 0 ||
      restStart + rest.length - last.raw.length !== at
    ) {
      return undefined;
    }
    // The other blocks' inline text, as marked's own lex would do it; the paragraph's is left to the caller.
    for (const queued of lexer.inlineQueue) {
      if (queued.tokens === (last as Tokens.Paragraph).tokens) continue;
      lexer.state.inRawBlock = false;
      lexer.inlineTokens(queued.src, queued.tokens);
    }
    // A line with a space between two words, and something other than what a table's delimiter
    // row, a rule or a heading's underline is made of, stays a paragraph's line as it grows.
    const line = source.slice(source.lastIndexOf('\n') + 1);
    this.before = /\S \S/.test(line) && /[^-=_*|:\s]/.test(line) ? tokens.slice(0, -1) : undefined;
    this.checked = source.length;
    this.checkedStart = sourceStart;
    return tokens;
  }

  /** Makes a piece of the open text before its last `PIECE_LENGTH` characters, when that text leaves nothing open. */
  private closeOff(source: string, at: number): void {
    const from = at + this.closed;
    const end = this.start - at + source.length;
    if (source.length - from < 2 * PIECE_LENGTH || end < this.nextTry) return;
    // A space between two words: the text after it starts as a paragraph's first word would.
    let space = source.lastIndexOf(' ', source.length - PIECE_LENGTH);
    while (space > from && !(isWord(source, space - 1) && isWord(source, space + 1))) {
      space = source.lastIndexOf(' ', space - 1);
    }
    if (space <= from) return;
    const piece = source.slice(from, space + 1);
    if (!isClosedInline(piece)) {
      // Something in it is still open: look again once as much more text has come, not every update.
      this.nextTry = end + PIECE_LENGTH;
      return;
    }
    const tokens = this.inline.inlineTokens(piece);
    this.pieces.push({ type: 'text', raw: piece, text: piece, tokens });
    for (const token of tokens) this.closedTokens.push(token);
    this.closed += piece.length;
  }
}

function isWord(source: string, index: number): boolean {
  const character = source[index];
  return character !== undefined && !/\s/.test(character);
}
