import type { StreamPart } from '../providers/StreamPart.js';
import { spokenText } from './spokenText.js';
import { textDeltas } from './textDeltas.js';

/** Characters after which a sentence may have ended; text without one cannot complete a sentence. */
/**
 * Where a sentence may end: full stops, exclamation and question marks with what closes after
 * them (quotes, brackets, emphasis) and a space; or the CJK marks, which need no space.
 */
const SENTENCE_END = /[.!?…]+[*_~`"'”’»)\]]*\s+(?=\S)|[。！？]+[*_~`"'”’」』)\]]*(?=[^*_~`"'”’」』)\]])/g;
/** Titles, abbreviations and initials, whose full stop ends no sentence ("Dr. Smith", "J. Doe"). */
const ABBREVIATION = /(?:^|[\s(*_])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|vs|e\.g|i\.e|cf|No|Fig|[A-Z])\.$/;
/** What may stand between a sentence's end and the next one's first letter: markup, quotes, brackets. */
const OPENING = /[*_~`"'“‘«([!]/;
const LOWERCASE = /\p{Ll}/u;
/** What an end still waiting for the text after it may be made of. */
const UNDECIDED_TAIL = /[\s.!?…。！？*_~`"'”’»」』)\]]/;
/** How far to look for a next word or back for an unfinished end: bounds the work on runs of markup or spaces. */
const LOOKAROUND = 64;
/** The most characters a line may start with before what it starts is decided. */
const UNDECIDED_LINE = 256;
const FENCE = /^(`{3,}|~{3,})/;
const HEADING = /^#{1,6}(?:[ \t]|$)/;
const ORDERED_ITEM = /^\d{1,9}[.)](?:[ \t]|$)/;
const RULE_OR_UNDERLINE = /^(?:([-*_])(?:[ \t]*\1){2,}|=+|-+)$/;
const TABLE_DELIMITER = /^\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/**
 * Whole sentences of the answer as they complete, as plain text: for speaking an answer aloud or
 * translating it while it streams. The text after the last sentence end comes out at the end.
 *
 * The answer is read as the markdown models write: a line break inside a paragraph does not end
 * a sentence, but a paragraph, a heading, a list item and a table row each end one; emphasis,
 * links and code spans are said as their text; code blocks are left out, as a voice would skip
 * them. A sentence counts as complete once the text after it has begun, so "3." followed by "14"
 * does not split, and neither does a full stop before a lowercase word or after a title or an
 * initial ("e.g. this", "Dr. Smith", "J. Doe").
 */
export async function* sentences(parts: AsyncIterable<StreamPart>): AsyncGenerator<string, void, undefined> {
  const reader = new SentenceReader();
  for await (const text of textDeltas(parts)) {
    reader.push(text);
    yield* reader.take();
  }
  reader.end();
  yield* reader.take();
}

/**
 * Reads the answer line by line: a line's first characters say what it starts (a paragraph
 * going on, a list item, a heading, a fence), and from then on its text flows into the sentence
 * buffer as it arrives, so a sentence is out before its line ends. Each delta costs its own
 * length and a few dozen characters before it, however long the sentence.
 */
class SentenceReader {
  private readonly ready: string[] = [];
  /**
   * The current block's text not yet given out as sentences, line breaks as spaces: `decided`
   * holds the pieces known to end no sentence, `tail` the rest (and a few characters before it,
   * for the word an end follows). Regular expressions run only over `tail`, which stays short.
   */
  private decided: string[] = [];
  private tail = '';
  /** The start of the current line while it is not yet known what it starts; undefined once its text flows. */
  private head: string | undefined = '';
  /** The current line can only be read whole (a code line, a table row, a rule). */
  private wholeLine = false;
  private headingLine = false;
  /** What the lines before were: text a next line of text continues, a table, or nothing open. */
  private block: 'none' | 'text' | 'table' = 'none';
  /** The open code fence's marker. */
  private fence: string | undefined;
  /** The current line opened the fence. */
  private openingFence = false;
  /** Where in `tail` the search for sentence ends goes on: everything before it is decided. */
  private scanned = 0;

  push(text: string): void {
    let start = 0;
    while (start < text.length) {
      const newline = text.indexOf('\n', start);
      this.addToLine(newline === -1 ? text.slice(start) : text.slice(start, newline));
      if (newline === -1) break;
      this.endLine();
      start = newline + 1;
    }
    this.findSentences();
  }

  end(): void {
    if (this.head !== '') this.endLine();
    this.flush();
  }

  /** The sentences found since the last call. */
  take(): string[] {
    return this.ready.length === 0 ? [] : this.ready.splice(0);
  }

  private addToLine(piece: string): void {
    if (piece === '') return;
    if (this.head === undefined) {
      this.tail += piece;
      return;
    }
    this.head += piece;
    // A line still undecided after a few hundred characters (spaces, backticks) is decided now,
    // so that no delta costs the whole line.
    if (!this.wholeLine) this.classify(this.head.length > UNDECIDED_LINE);
  }

  private endLine(): void {
    if (this.head !== undefined) this.classify(true);
    if (this.head !== undefined) this.readWholeLine(this.head);
    else if (this.headingLine) {
      this.flush();
      this.block = 'none';
    } else this.block = 'text';
    this.head = '';
    this.wholeLine = false;
    this.headingLine = false;
  }

  /** Decides what the line starts, once its first characters tell; `atEnd` when the line is all there is. */
  private classify(atEnd: boolean): void {
    if (this.fence !== undefined) {
      this.wholeLine = true;
      return;
    }
    const line = this.head!.replace(/^[ \t]+/, '');
    if (line === '') {
      if (this.head!.length > UNDECIDED_LINE) this.flow('', false);
      return;
    }
    const first = line[0]!;
    if (first === '`' || first === '~') {
      if (!atEnd && /^(`+|~+)$/.test(line)) return;
      const fence = FENCE.exec(line);
      if (fence !== null) {
        this.flush();
        this.block = 'none';
        this.fence = fence[1];
        this.openingFence = true;
        this.wholeLine = true;
        return;
      }
    } else if (first === '#') {
      if (!atEnd && /^#{1,6}$/.test(line)) return;
      if (HEADING.test(line)) {
        this.flush();
        this.headingLine = true;
        this.flow(line.replace(/^#+[ \t]*/, ''), false);
        return;
      }
    } else if (first === '>') {
      if (this.block !== 'text') this.flush();
      this.flow(line.replace(/^(?:>[ \t]?)+/, ''), this.block === 'text');
      return;
    } else if (first === '|') {
      this.wholeLine = true;
      return;
    } else if (first === '-' || first === '*' || first === '+' || first === '_' || first === '=') {
      if (first !== '_' && first !== '=' && /^.[ \t]/.test(line)) {
        this.flush();
        this.flow(line.slice(2), false);
        return;
      }
      // Only markers so far: a rule or a heading's underline, or the start of text ("**Bold**").
      if (/^[-*_=][-*_= \t]*$/.test(line)) {
        if (atEnd) this.wholeLine = true;
        return;
      }
    } else if (first >= '0' && first <= '9') {
      if (!atEnd && /^\d{1,9}[.)]?$/.test(line)) return;
      if (ORDERED_ITEM.test(line)) {
        this.flush();
        this.flow(line.replace(/^\d+[.)][ \t]*/, ''), false);
        return;
      }
    }
    if (this.block === 'table') this.flush();
    this.flow(line, this.block === 'text');
  }

  /** The line's text flows into the buffer from here on; `continues` when it goes on the text before. */
  private flow(text: string, continues: boolean): void {
    if (continues && (this.tail !== '' || this.decided.length > 0)) this.tail += ' ';
    this.head = undefined;
    this.addToLine(text);
  }

  /** A line that could only be read whole: a code line, a closing fence, a table row, a rule or an underline. */
  private readWholeLine(raw: string): void {
    const line = raw.trim();
    if (this.fence !== undefined) {
      // A line of the fence's marker, at least as long, closes it; the opening line does not.
      if (this.openingFence) this.openingFence = false;
      else if (line.startsWith(this.fence) && /^(`+|~+)$/.test(line)) this.fence = undefined;
      return;
    }
    if (line === '') {
      this.flush();
      this.block = 'none';
    } else if (line.startsWith('|')) {
      if (TABLE_DELIMITER.test(line)) return;
      if (this.block !== 'table') this.flush();
      this.block = 'table';
      const cells = line
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => spokenText(cell))
        .filter((cell) => cell !== '');
      if (cells.length > 0) this.ready.push(cells.join(', '));
    } else if (RULE_OR_UNDERLINE.test(line)) {
      this.flush();
      this.block = 'none';
    } else {
      // Not a rule after all ("--flag", "**bold** text"): text like any other.
      if (this.block === 'table') this.flush();
      this.flow(line, this.block === 'text');
      this.block = 'text';
    }
  }

  /** Everything buffered ends here: every sentence in it, the last one too. */
  private flush(): void {
    this.findSentences();
    this.say(this.decided.join('') + this.tail);
    this.decided = [];
    this.tail = '';
    this.scanned = 0;
  }

  private say(sentence: string): void {
    const spoken = spokenText(sentence);
    if (spoken !== '') this.ready.push(spoken);
  }

  /**
   * Gives out the sentences that have ended, searching only text not searched before (and an end
   * that was waiting for the character after it), so a long sentence costs linear time.
   */
  private findSentences(): void {
    const text = this.tail;
    let consumed = 0;
    let resume = -1;
    SENTENCE_END.lastIndex = this.scanned;
    let match: RegExpExecArray | null;
    while ((match = SENTENCE_END.exec(text)) !== null) {
      const end = match.index + match[0].length;
      const decision = this.decide(text, match, end, consumed);
      if (decision === undefined) {
        resume = match.index;
        break;
      }
      if (decision) {
        this.say(this.decided.join('') + text.slice(consumed, end));
        this.decided = [];
        consumed = end;
      }
    }
    if (resume === -1) {
      // An end at the very end of the text waits for what follows it: search from it next time.
      resume = text.length;
      const limit = Math.max(consumed, text.length - LOOKAROUND);
      while (resume > limit && UNDECIDED_TAIL.test(text[resume - 1]!)) resume--;
    }
    // Keep a few characters before the search goes on, for the word an end follows ("Dr.").
    const keep = Math.max(consumed, resume - LOOKAROUND);
    if (keep > consumed) this.decided.push(text.slice(consumed, keep));
    this.tail = keep === 0 ? text : text.slice(keep);
    this.scanned = resume - keep;
  }

  /** Whether a sentence ends after `match`; undefined while the word after it has not come. */
  private decide(text: string, match: RegExpExecArray, end: number, consumed: number): boolean | undefined {
    const mark = match[0][0]!;
    // "!" and "?" always end one, and so do the CJK marks; a full stop not before a lowercase
    // word ("e.g. this"), nor after a title or an initial.
    if (mark !== '.' && mark !== '…') return true;
    let next = end;
    while (next < text.length && next - end < LOOKAROUND && OPENING.test(text[next]!)) next++;
    if (next === text.length) return undefined;
    if (LOWERCASE.test(text[next]!)) return false;
    return !ABBREVIATION.test(text.slice(Math.max(consumed, match.index - 8), match.index + 1));
  }
}
