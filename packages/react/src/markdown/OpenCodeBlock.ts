import type { Tokens, TokensList } from 'marked';

/**
 * A line that could close a fence, or be the start of one being typed, by marked's rules or the
 * completion's looser ones (which allow any indent, for fences in lists): any spaces or tabs, then
 * a backtick or tilde.
 */
const FENCE_LIKE = /[^\S\n]*[`~]/y;

/**
 * A fenced code block at the end of a streaming message, followed without lexing it again. Models
 * write code blocks of hundreds of lines; marked finding the fence's end, and the completion
 * looking for fences, in all of one again for every four characters would make each update cost
 * what the block costs. While nothing appended could close the fence (no line starts, after any
 * spaces or tabs, with a backtick or a tilde), the block's token is the one marked gave it, with
 * the new text: its raw source to the end, and its code without the line break marked leaves out.
 * Anything else is left to the caller's whole lexing, which then decides whether there is an open
 * block to follow.
 */
export class OpenCodeBlock {
  /**
   * @param start Where the block starts in the whole content.
   * @param codeStart Where its code starts, after the opening fence's line, counted from `start`.
   * @param lineStart Where the last line checked starts in the whole content: it is checked again as it grows.
   */
  private constructor(
    readonly start: number,
    private readonly token: Tokens.Code,
    private readonly codeStart: number,
    private lineStart: number,
  ) {}

  /**
   * The block to follow in freshly lexed tokens of `source`, which starts at `sourceStart` in the
   * content: the last block, when it is a fenced code block that is still open, whose opening
   * fence is not indented (marked would take the indent off its lines) and whose opening line is
   * complete (its language can no longer change).
   */
  static after(tokens: TokensList, source: string, sourceStart: number): OpenCodeBlock | undefined {
    const last = tokens.at(-1);
    if (last?.type !== 'code' || last.codeBlockStyle === 'indented' || Object.keys(tokens.links).length > 0) {
      return undefined;
    }
    const raw = last.raw;
    const opening = raw.indexOf('\n');
    if (!/^(`{3}|~{3})/.test(raw) || opening === -1) return undefined;
    const at = source.length - raw.length;
    const codeStart = opening + 1;
    // The completion held nothing back, and the code is what this class would make of it: a marked
    // that reads an open fence otherwise is lexed whole, as before.
    if (!source.endsWith(raw) || codeOf(raw, codeStart) !== last.text) return undefined;
    return new OpenCodeBlock(
      sourceStart + at,
      last as Tokens.Code,
      codeStart,
      sourceStart + source.lastIndexOf('\n') + 1,
    );
  }

  /**
   * The tokens of `source` (the unsettled text, starting at `sourceStart` in the content) when it
   * is this block and more code; undefined when it may be more than that, for the caller to lex whole.
   */
  lex(source: string, sourceStart: number): TokensList | undefined {
    // The block is the unsettled text: what came before it has settled, as its first line is whole.
    if (this.start !== sourceStart) return undefined;
    let line = this.lineStart - sourceStart;
    for (;;) {
      const end = source.indexOf('\n', line);
      FENCE_LIKE.lastIndex = line;
      if (FENCE_LIKE.test(source)) {
        // The caller lexes this update whole, and keeps following this block only if it is still
        // open: a whole line that did not close it need not be checked again.
        if (end !== -1) this.lineStart = sourceStart + end + 1;
        return undefined;
      }
      if (end === -1) break;
      line = end + 1;
    }
    this.lineStart = sourceStart + line;
    const code: Tokens.Code = { ...this.token, raw: source, text: codeOf(source, this.codeStart) };
    return Object.assign([code], { links: {} });
  }
}

/**
 * The code of an open fenced block whose source is `raw` and whose code starts at `codeStart`, as
 * marked 18 gives it: without the line break that ends the source, if one line break does.
 */
function codeOf(raw: string, codeStart: number): string {
  const end = raw.length;
  const dropped = end - codeStart > 1 && raw.charCodeAt(end - 1) === NEWLINE && raw.charCodeAt(end - 2) !== NEWLINE;
  return raw.slice(codeStart, dropped ? end - 1 : end);
}

const NEWLINE = 10;
