import { Lexer, Parser } from 'marked';
import type { Token } from 'marked';
import { beforeAll, describe, expect, it } from 'vitest';
import { completeUnfinishedMarkdown } from './completeUnfinishedMarkdown.js';
import { loadOpenBlocks, MarkdownBlocks } from './MarkdownBlocks.js';
import type { PiecedParagraph } from './OpenParagraph.js';

/** A small seeded generator, so a failure names the document that caused it. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** Words and inline syntax as models write them, closed and not, and what only looks like syntax. */
const vocabulary = [
  'the',
  'stream',
  'renders',
  'each',
  'piece',
  'once,',
  'then.',
  '**bold text**',
  '*em*',
  '_under_',
  '`code`',
  '``a ` b``',
  '[a link](https://example.com/a)',
  '[titled](https://example.com/x "a title here")',
  '~~gone~~',
  'snake_case_name',
  'a*b*c',
  '2 * 3',
  'x < y',
  '<span class="a">',
  '&amp;',
  '\\*',
  '(aside',
  'closed)',
  '[1]',
  '**left open',
  '*',
  '_',
  '`',
  '![an image](a.png)',
  'https://auto.example/path',
  '<https://angle.example>',
  'party 🎉',
  'ünïcödé',
  '***both***',
  '**nested *em* inside**',
  '[nested [brackets] text](https://example.com/n)',
];

/** The same without what stays open for good, so pieces close often and are compared often. */
const closable = vocabulary.filter((word) => !['*', '_', '`', '**left open', '(aside'].includes(word));

function paragraph(next: () => number, length: number, words = vocabulary): string {
  const parts: string[] = [];
  for (let size = 0; size < length;) {
    const word = words[Math.floor(next() * words.length)]!;
    parts.push(word);
    size += word.length + 1;
  }
  // Mostly one long line, as models write paragraphs; now and then a soft line break before a
  // plain word (before a marker it would start a list, or a heading, which is another test).
  return parts
    .map((word, index) => (index > 0 && /^[a-z]+$/.test(word) && next() < 0.05 ? `\n${word}` : word))
    .join(' ');
}

/** What the blocks render to, as HTML. */
function html(tokens: readonly Token[]): string {
  return Parser.parse(tokens.filter((token) => token.type !== 'space') as Token[]);
}

/**
 * Streams `document` through MarkdownBlocks and, at every step, checks the unsettled blocks render
 * exactly as lexing and completing all of them again would: the pieces change nothing shown.
 */
function streamAndCompare(document: string, steps: () => number): { pieced: number } {
  const blocks = new MarkdownBlocks();
  let pieced = 0;
  for (let end = 0; end < document.length;) {
    end = Math.min(document.length, end + steps());
    const content = document.slice(0, end);
    const { tail } = blocks.update(content, true);
    if (tail.length === 0) continue;
    const last = tail.at(-1)!.token as Partial<PiecedParagraph>;
    if (last.pieces !== undefined) {
      pieced = Math.max(pieced, last.pieces.length);
      // What the view shows, the pieces then the rest, is the paragraph: no text twice, none missing.
      const viewed = [...last.pieces.flatMap((piece) => piece.tokens ?? []), ...last.rest!];
      expect(Parser.parseInline(viewed)).toBe(Parser.parseInline(last.tokens!));
    }
    const whole = Lexer.lex(completeUnfinishedMarkdown(content.slice(Number(tail[0]!.key))), { gfm: true });
    const shown = html(tail.map((block) => block.token));
    if (shown !== html(whole)) {
      expect({ at: end, text: content.slice(-200), shown }).toEqual({
        at: end,
        text: content.slice(-200),
        shown: html(whole),
      });
    }
  }
  return { pieced };
}

/** `SEED=<n>` tries 12 other answers, from the nth on. */
const FIRST_SEED = Number(process.env['SEED'] ?? 1);

// Property tests over thousands of updates each: seconds apiece on a loaded machine.
describe('a long streaming paragraph, lexed a piece at a time', { timeout: 60_000 }, () => {
  // Loaded by the first long paragraph, in an app; here before the first, to test every step.
  beforeAll(() => loadOpenBlocks());

  it('renders exactly as lexing it whole would, at every step, on 12 generated answers', () => {
    let pieced = 0;
    for (let seed = FIRST_SEED; seed < FIRST_SEED + 12; seed++) {
      const next = random(seed);
      const words = seed % 3 === 0 ? vocabulary : closable;
      const document = [
        '# A heading',
        paragraph(next, 200, words),
        paragraph(next, 1_500, words),
        '- a list item\n- another',
        paragraph(next, 1_200, words),
      ].join('\n\n');
      const steps = seed % 2 === 0 ? () => 4 : () => 1 + Math.floor(next() * 24);
      pieced += streamAndCompare(document, steps).pieced;
    }
    // Most paragraphs were pieced: the comparison covered pieces, made and reused.
    expect(pieced).toBeGreaterThan(20);
  });

  it('closes pieces of a paragraph that leaves nothing open, and keeps them as the text grows', () => {
    const next = random(7);
    const clean = ['the', 'stream', 'renders', '**bold text**', '*em*', '`code`', '[a link](https://example.com/a)'];
    const document = `# Title\n\n${paragraph(next, 5_000, clean)}`;
    const blocks = new MarkdownBlocks();
    let previous: readonly Token[] = [];
    for (let end = 4; end <= document.length; end += 4) {
      const last = blocks.update(document.slice(0, end), true).tail.at(-1)!.token as Partial<PiecedParagraph>;
      const pieces = last.pieces ?? [];
      // A piece, once made, is the same array on every later update: its view never renders again.
      for (let index = 0; index < previous.length; index++) expect(pieces[index]).toBe(previous[index]);
      previous = [...pieces];
    }
    // About one piece per 160 characters, all but the last few hundred characters closed.
    expect(previous.length).toBeGreaterThan(20);
    expect(streamAndCompare(document, () => 4).pieced).toBe(previous.length);
  });

  it('leaves a paragraph whole while an emphasis, code span or link opened early is still open', () => {
    const next = random(3);
    const clean = ['the', 'stream', 'renders', 'words'];
    const document = `**bold that runs on ${paragraph(next, 1_000, clean)} and closes late** then more`;
    const { pieced } = streamAndCompare(document, () => 4);
    expect(pieced).toBe(0);
  });

  it('keeps its pieces once it is finished, which read as marked reads the paragraph whole', () => {
    const next = random(11);
    const text = paragraph(next, 2_000, ['the', 'stream', '**bold**', '`code`']);
    const blocks = new MarkdownBlocks();
    for (let end = 4; end < text.length; end += 4) blocks.update(text.slice(0, end), true);
    const { tail } = blocks.update(text, false);
    const last = tail.at(-1)!.token as Partial<PiecedParagraph>;
    // Its elements stay as they were: the last render builds nothing again.
    expect(last.pieces?.length).toBeGreaterThan(10);
    expect(html(tail.map((block) => block.token))).toBe(html(Lexer.lex(text, { gfm: true })));
  });
});
