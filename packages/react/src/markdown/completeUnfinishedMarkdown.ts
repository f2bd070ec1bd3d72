/*
 * While an answer streams, its last block is usually cut mid-syntax: "**bo", "[docs](https://ex",
 * "| a | b |" without its delimiter row, a lone "-" that may become a list item or a heading
 * underline. Rendered as it stands, each of those flashes raw markers or the wrong element for a
 * frame. This rewrites only the end of the text so it renders as the element it is becoming (bold
 * closed early, a table from its header row) or holds back what cannot be told yet (a lone marker,
 * a half-written row). It runs on the unsettled tail only, so its cost does not grow with the answer.
 */

/** A fence: its indent, its run of backticks or tildes, and the rest of its line. */
const FENCE = /^(\s*)(`{3,}|~{3,})(.*)$/;
const PARTIAL_FENCE = /^\s*(`{1,2}|~{1,2})$/;
// A line that is only a marker: list bullet or number, heading hashes, quote, or the start of a
// setext underline or thematic break. Whatever it becomes, it is not known yet.
const LONE_MARKER = /^\s*(?:[-*+]|\d{1,9}[.)]|#{1,6}|>|[-=_*\s]+)\s*$/;
const TABLE_ROW = /^\s*\|/;
const PARTIAL_DELIMITER_ROW = /^\s*\|?[\s:|-]*$/;

/** The text with its unfinished end rewritten to render as it will when complete. */
export function completeUnfinishedMarkdown(text: string): string {
  if (text === '') return text;
  const lastBreak = text.lastIndexOf('\n');
  const lastLine = text.slice(lastBreak + 1);
  const [fence, afterFences] = fences(text);
  if (fence !== undefined) {
    // Inside a code block only a half-typed closing fence could show; hold it back.
    const trimmed = lastLine.trim();
    if (trimmed !== '' && trimmed.length < fence.length && [...trimmed].every((character) => character === fence[0])) {
      return text.slice(0, Math.max(0, lastBreak));
    }
    return text;
  }

  const result =
    lastLine !== '' && (PARTIAL_FENCE.test(lastLine) || LONE_MARKER.test(lastLine))
      ? text.slice(0, lastBreak + 1)
      : completeTable(text, lastBreak, lastLine);
  // Inline syntax is completed after the last code block only: a closing fence is no code span.
  const from = Math.min(afterFences, result.length);
  return result.slice(0, from) + completeInline(result.slice(from));
}

/**
 * The opening fence (its run of backticks or tildes) when the text ends inside a fenced code block,
 * and where the text after the last closed code block starts.
 */
function fences(text: string): [open: string | undefined, afterClosed: number] {
  let fence: string | undefined;
  let indent = 0;
  let afterClosed = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const match = FENCE.exec(text.slice(start, end));
    if (match !== null) {
      const [, spaces, run, rest] = match as unknown as [string, string, string, string];
      // A tab as four columns: enough to tell three from more.
      const width = spaces.replace(/\t/g, '    ').length;
      if (fence === undefined) {
        // A backtick in a backtick fence's line makes it inline code, not a fence.
        if (!(run[0] === '`' && rest.includes('`'))) {
          fence = run;
          indent = width;
        }
      } else if (run.startsWith(fence) && /^ *$/.test(rest) && width <= indent + 3) {
        // As marked closes a fence: a run of the same character at least as long, then spaces only
        // (a tab after it is code), indented at most three more than the opening one (whose indent
        // is its list's, if it is in one): more is a line of the code.
        fence = undefined;
        afterClosed = end;
      }
    }
    start = end + 1;
  }
  return [fence, afterClosed];
}

function cellCount(row: string): number {
  const inner = row.trim().replace(/^\||\|$/g, '');
  return inner.split('|').length;
}

function delimiterRow(header: string): string {
  return `|${' --- |'.repeat(cellCount(header))}`;
}

function isHeaderCandidate(line: string | undefined, before: string | undefined): boolean {
  return (
    line !== undefined &&
    TABLE_ROW.test(line) &&
    line.indexOf('|', line.indexOf('|') + 1) !== -1 &&
    !(before !== undefined && TABLE_ROW.test(before))
  );
}

/** Shows a table from its header row, and holds back a row still being written. */
function completeTable(text: string, lastBreak: number, lastLine: string): string {
  const head = text.slice(0, Math.max(0, lastBreak));
  const previousBreak = head.lastIndexOf('\n');
  const previous = lastBreak === -1 ? undefined : head.slice(previousBreak + 1);
  const beforePrevious =
    previousBreak === -1 ? undefined : head.slice(head.lastIndexOf('\n', previousBreak - 1) + 1, previousBreak);
  if (TABLE_ROW.test(lastLine)) {
    if (isHeaderCandidate(previous, beforePrevious) && PARTIAL_DELIMITER_ROW.test(lastLine)) {
      return `${text.slice(0, lastBreak + 1)}${delimiterRow(previous!)}`;
    }
    // A header or body row that has not ended yet: held until its line is complete.
    return text.slice(0, lastBreak + 1);
  }
  if (lastLine === '' && isHeaderCandidate(previous, beforePrevious)) return `${text}${delimiterRow(previous!)}`;
  return text;
}

const WHITESPACE = /\s/;
const PUNCTUATION = /[!-/:-@[-`{-~\p{P}\p{S}]/u;

interface Delimiter {
  character: string;
  length: number;
  at: number;
}

/**
 * Whether the completion rewrites the end of `text` as a block, not only as inline syntax: a lone
 * marker held back, a fence being typed, a table row, or a table begun from its header row. Text
 * ending otherwise, in a paragraph, is completed by {@link completeUnfinishedInline} on its end alone.
 */
export function rewritesEnd(text: string): boolean {
  const lastBreak = text.lastIndexOf('\n');
  const lastLine = text.slice(lastBreak + 1);
  if (lastLine !== '') return PARTIAL_FENCE.test(lastLine) || LONE_MARKER.test(lastLine) || TABLE_ROW.test(lastLine);
  return lastBreak > 0 && TABLE_ROW.test(text.slice(text.lastIndexOf('\n', lastBreak - 1) + 1, lastBreak));
}

/**
 * The completion of `rest`, the end of a paragraph whose text before it is closed (see
 * {@link isClosedInline}) and ends in a space: what the whole paragraph's completion would end
 * with, for the cost of reading the end only.
 */
export function completeUnfinishedInline(rest: string): string {
  return rest.trim() === '' ? rest : completeBlock(rest);
}

/**
 * Whether a piece of a paragraph, starting after a space (or at the paragraph's start) and ending
 * in one, leaves nothing open for the text after it to finish: no code span, link, image, tag or
 * autolink still open, and every emphasis and strikethrough run paired with one of its own length.
 * Stricter than markdown, which may pair runs of other lengths: a piece in doubt is not closed,
 * and is lexed again with the rest.
 */
export function isClosedInline(piece: string): boolean {
  if (openCodeSpan(piece) !== undefined || completeLink(piece) !== piece) return false;
  // A bracket still open ("[a [b] c") may yet become a link's text; a tag or autolink still open ends later.
  let depth = 0;
  for (let index = piece.indexOf('['); index !== -1 && index < piece.length; index++) {
    if (piece[index] === '[') depth++;
    else if (piece[index] === ']' && depth > 0) depth--;
  }
  if (depth > 0 || /<[a-zA-Z/!?][^>]*$/.test(piece)) return false;
  const scanned = openDelimiters(piece);
  return scanned.open.length === 0 && scanned.exact;
}

/** Closes emphasis, strikethrough, code spans and links left open at the end of the last paragraph. */
function completeInline(text: string): string {
  const blockStart = text.lastIndexOf('\n\n') + 1;
  const block = text.slice(blockStart);
  if (block.trim() === '' || /^ {4}/.test(block.replace(/^\n/, ''))) return text;
  return text.slice(0, blockStart) + completeBlock(block);
}

function completeBlock(block: string): string {
  let text = block;
  // A code span left open: close it, or drop the backticks if nothing follows them yet.
  const code = openCodeSpan(text);
  if (code !== undefined) {
    const content = text.slice(code.at + code.length);
    if (content.trim() === '') return completeBlock(text.slice(0, code.at));
    return `${text}${'`'.repeat(code.length)}`;
  }
  text = completeLink(text);
  const trailing = /\s*$/.exec(text)![0];
  const scanned = openDelimiters(text.slice(0, text.length - trailing.length));
  let body = text.slice(0, scanned.end);
  const open = scanned.open;
  // An opener with nothing after it yet is dropped; the rest are closed innermost first.
  while (open.length > 0 && open.at(-1)!.at + open.at(-1)!.length === body.length) {
    body = body.slice(0, open.pop()!.at);
  }
  if (open.length === 0) return body + trailing;
  // Closers must touch the text they close: whitespace goes after them (only line breaks are kept).
  const spaces = /\s*$/.exec(body)![0];
  body = body.slice(0, body.length - spaces.length);
  for (let index = open.length - 1; index >= 0; index--) body += open[index]!.character.repeat(open[index]!.length);
  return body + (spaces + trailing).replace(/[^\n]/g, '');
}

/** A run of backticks with no closing run of the same length after it. */
function openCodeSpan(text: string): { at: number; length: number } | undefined {
  let index = text.indexOf('`');
  while (index !== -1) {
    const length = runLength(text, index, '`');
    const close = codeSpanClose(text, index + length, length);
    if (close === -1) return { at: index, length };
    index = text.indexOf('`', close);
  }
  return undefined;
}

/** Where the code span opened by `length` backticks ends (after its closing run), or -1 if it is still open. */
function codeSpanClose(text: string, from: number, length: number): number {
  let search = text.indexOf('`', from);
  while (search !== -1) {
    const run = runLength(text, search, '`');
    // Only a run of exactly the same length closes the span; longer or shorter ones are its content.
    if (run === length) return search + run;
    search = text.indexOf('`', search + run);
  }
  return -1;
}

function runLength(text: string, at: number, character: string): number {
  let end = at;
  while (text[end] === character) end++;
  return end - at;
}

/** A link or image still being written, shown as its text (or not at all, for an image). */
function completeLink(text: string): string {
  const image = /!\[[^\]]*(?:\](?:\([^)]*)?)?$/.exec(text);
  if (image !== null) return text.slice(0, image.index);
  // A link whose text is closed, its target still being written or not begun.
  const closedText = /\[([^\]]*)\](?:\([^)]*)?$/.exec(text);
  if (closedText !== null) return text.slice(0, closedText.index) + closedText[1];
  const openText = /\[([^\]]*)$/.exec(text);
  if (openText !== null) {
    // "- [" or "- [x" is a task checkbox being written, not a link.
    if (/(?:^|\n)\s*(?:[-*+]|\d+[.)])\s+$/.test(text.slice(0, openText.index)) && /^[ xX]?$/.test(openText[1]!)) {
      return text.slice(0, openText.index);
    }
    return text.slice(0, openText.index) + openText[1];
  }
  return text;
}

/**
 * The emphasis and strikethrough delimiters still open at the end, outermost first, and where the
 * text should end (before a half-typed closing run).
 */
function openDelimiters(text: string): { open: Delimiter[]; end: number; exact: boolean } {
  const stack: Delimiter[] = [];
  // Whether every run paired with one of its own length, and none was left over.
  let exact = true;
  let index = 0;
  while (index < text.length) {
    const character = text[index]!;
    if (character === '\\') {
      index += 2;
      continue;
    }
    if (character === '`') {
      // Skip a closed code span whole: delimiters inside it are text.
      const length = runLength(text, index, '`');
      const close = codeSpanClose(text, index + length, length);
      index = close === -1 ? index + length : close;
      continue;
    }
    if (character !== '*' && character !== '_' && character !== '~') {
      index++;
      continue;
    }
    const length = runLength(text, index, character);
    const end = index + length;
    const before = index === 0 ? '\n' : text[index - 1]!;
    // At the very end more text is coming: a run there may open (text follows) or close (it ends).
    const atEnd = end >= text.length;
    const afterOpening = atEnd ? 'a' : text[end]!;
    const afterClosing = atEnd ? '\n' : text[end]!;
    const leftFlanking = (after: string) =>
      !WHITESPACE.test(after) && (!PUNCTUATION.test(after) || WHITESPACE.test(before) || PUNCTUATION.test(before));
    const rightFlanking = (after: string) =>
      !WHITESPACE.test(before) && (!PUNCTUATION.test(before) || WHITESPACE.test(after) || PUNCTUATION.test(after));
    // An underscore run flanking on both sides is inside a word: it opens only after punctuation,
    // and closes only before it.
    const canOpen =
      leftFlanking(afterOpening) && (character !== '_' || !rightFlanking(afterOpening) || PUNCTUATION.test(before));
    const canClose =
      rightFlanking(afterClosing) &&
      (character !== '_' || !leftFlanking(afterClosing) || PUNCTUATION.test(afterClosing));
    const top = stack.at(-1);
    if (canClose && top !== undefined && top.character === character) {
      // A closing run still being typed ("**bold*") is cut off; the whole closer is added after.
      if (length < top.length && end === text.length) return { open: stack, end: index, exact: false };
      exact &&= length === top.length;
      stack.pop();
    } else if (canOpen && (character !== '~' || length <= 2)) {
      exact &&= length <= 3;
      stack.push({ character, length, at: index });
    } else exact &&= !canClose;
    index = end;
  }
  return { open: stack, end: text.length, exact };
}
