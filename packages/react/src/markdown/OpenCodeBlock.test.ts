import { Lexer, Parser } from 'marked';
import type { Token, Tokens } from 'marked';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { completeUnfinishedMarkdown } from './completeUnfinishedMarkdown.js';
import { loadOpenBlocks, MarkdownBlocks } from './MarkdownBlocks.js';

/** What the blocks render to, as HTML. */
function html(tokens: readonly Token[]): string {
  return Parser.parse(tokens.filter((token) => token.type !== 'space') as Token[]);
}

/** A code block's tokens as the view reads them. */
function codeTokens(tokens: readonly Token[]) {
  return tokens
    .filter((token): token is Tokens.Code => token.type === 'code')
    .map(({ raw, text, lang, codeBlockStyle }) => ({ raw, text, lang, codeBlockStyle }));
}

/**
 * Streams `document` through MarkdownBlocks `step` characters at a time and, at every step, checks
 * the unsettled blocks are exactly what lexing and completing all of them again gives.
 */
function streamAndCompare(document: string, step: number): { followed: number } {
  const blocks = new MarkdownBlocks();
  const lex = vi.spyOn(Lexer, 'lex');
  let followed = 0;
  for (let end = 0; end < document.length;) {
    end = Math.min(document.length, end + step);
    const content = document.slice(0, end);
    const lexed = lex.mock.calls.length;
    const { tail } = blocks.update(content, true);
    // An update served without lexing: the block followed.
    if (lex.mock.calls.length === lexed) followed++;
    if (tail.length === 0) continue;
    const whole = Lexer.lex(completeUnfinishedMarkdown(content.slice(Number(tail[0]!.key))), { gfm: true });
    const shown = tail.map((block) => block.token);
    const at = { at: end, text: content.slice(-120) };
    expect({ ...at, code: codeTokens(shown), html: html(shown) }).toEqual({
      ...at,
      code: codeTokens(whole),
      html: html(whole),
    });
  }
  lex.mockRestore();
  return { followed };
}

/** A TypeScript block's body of `count` lines, with what code holds: strings, templates, comments. */
function code(count: number): string {
  const lines: string[] = [];
  for (let index = 0; index < count; index++) {
    lines.push(
      index % 9 === 4
        ? ''
        : index % 7 === 3
          ? `  const note${index} = \`a ${index}\`; // "\`\`\`"`
          : `  total += ${index};`,
    );
  }
  return lines.join('\n');
}

describe('a streaming code block, followed without lexing it again', { timeout: 60_000 }, () => {
  // Loaded by the first streaming message, in an app; here before the first, to test every step.
  beforeAll(() => loadOpenBlocks());
  afterEach(() => vi.restoreAllMocks());

  it('gives exactly what lexing the unsettled text whole gives, at every step, whatever the fences', () => {
    const documents = [
      `Here it is:\n\n\`\`\`ts\n${code(60)}\n\`\`\`\n\nAnd after it.`,
      `~~~python\n${code(30)}\n~~~\nthen text`,
      // A longer fence, closed by a line of as many backticks or more; shorter runs are code.
      `\`\`\`\`md\n${code(10)}\n\`\`\`\n${code(5)}\n\`\`\`\`\`\n\nDone.`,
      // A tilde fence holds backtick lines, and the reverse.
      `~~~\n\`\`\`\n${code(8)}\n\`\`\`\n~~~\n\n\`\`\`\n~~~\n${code(8)}\n\`\`\`\n`,
      // An indented fence (marked takes the indent off its lines), and one inside a list.
      `Text\n\n   \`\`\`js\n   ${code(12).replaceAll('\n', '\n   ')}\n   \`\`\`\n\n- item\n\n  \`\`\`\n  a\n  b\n  \`\`\`\n`,
      // Fences inside the code, indented past three spaces or by a tab (a docstring's example), and
      // a fence with a tab after it, which does not close the block: all code.
      `\`\`\`python\ndef f():\n    """\n    \`\`\`\n    example()\n    \`\`\`\n    """\n\t\`\`\`\n\tx\n\`\`\`\t\nplain\nx = **y\n\`\`\`\n\nAfter.`,
      // Blank lines, lines of spaces, a closing fence with spaces after it, the block ending the text.
      `\`\`\`sh\necho one\n\n\n   \necho two\n\`\`\`   \n\`\`\`\n${code(20)}\n\n`,
    ];
    let updates = 0;
    let followed = 0;
    for (const document of documents) {
      for (const step of [1, 4, 7]) {
        followed += streamAndCompare(document, step).followed;
        updates += Math.ceil(document.length / step);
      }
    }
    // Most updates were of a followed block: the comparison covered it, not only whole lexing.
    expect(followed / updates).toBeGreaterThan(0.5);
  });

  it('lexes a 300-line block only where a line could close it, not on every update', () => {
    const body = code(300);
    const document = `Intro paragraph.\n\n\`\`\`ts\n${body}\n\`\`\`\n`;
    const lex = vi.spyOn(Lexer, 'lex');
    const blocks = new MarkdownBlocks();
    let updates = 0;
    let last: Tokens.Code | undefined;
    for (let end = 4; end < document.length; end += 4) {
      last = blocks.update(document.slice(0, end), true).tail.at(-1)?.token as Tokens.Code | undefined;
      updates++;
    }
    // The block's code as it grew, to the end.
    expect(last?.type).toBe('code');
    expect(body.startsWith(last!.text)).toBe(true);
    // Lexed whole only as it begins, as the fence closes, and at the few lines that could close it:
    // its lines with backticks inside them are not among those, so nearly never.
    expect(updates).toBeGreaterThan(1_000);
    expect(lex.mock.calls.length).toBeLessThan(40);
  });

  it('follows a block again after a line that looked like a fence but was not', () => {
    const document = `\`\`\`\n${code(20)}\n\`\`\nstill code\n~~~ tilde line\n${code(40)}\n`;
    streamAndCompare(document, 3);
    const lex = vi.spyOn(Lexer, 'lex');
    const blocks = new MarkdownBlocks();
    for (let end = 3; end <= document.length; end += 3) blocks.update(document.slice(0, end), true);
    // Back to following the block once those lines are past: far fewer lexes than updates.
    expect(lex.mock.calls.length).toBeLessThan(30);
  });
});
