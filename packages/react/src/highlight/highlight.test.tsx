import { act } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import type { HighlighterCore } from 'shiki/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamingMessage } from '../components/StreamingMessage.js';
import type { StreamingMessageProps } from '../components/StreamingMessage.js';
import type { LanguageLoader } from './CodeHighlighter.js';
import { highlight } from './highlight.js';

/** Every text shiki was asked to tokenize, in order, by every highlighter the tests make. */
const tokenized = vi.hoisted(() => [] as string[]);
vi.mock('shiki/core', async (importOriginal) => {
  const shiki = await importOriginal<typeof import('shiki/core')>();
  return {
    ...shiki,
    async createHighlighterCore(options: Parameters<typeof shiki.createHighlighterCore>[0]) {
      const highlighter: HighlighterCore = await shiki.createHighlighterCore(options);
      const codeToTokens = highlighter.codeToTokens;
      highlighter.codeToTokens = (code, tokenOptions) => {
        tokenized.push(code);
        return codeToTokens(code, tokenOptions);
      };
      return highlighter;
    },
  };
});

let root: Root | undefined;
let container: HTMLElement;
function render(props: StreamingMessageProps) {
  root ??= createRoot(container);
  flushSync(() => root!.render(<StreamingMessage {...props} />));
  return container;
}

/** The highlighted lines' text, as shown. */
function highlightedLines(): string[] {
  return [...container.querySelectorAll('pre code > span > span > span')].map((line) =>
    line.textContent!.replace(/^\n/, ''),
  );
}

/** Waits for shiki and the language to load (a first load parses the grammar: seconds on a busy machine). */
async function untilHighlighted(count: number) {
  await vi.waitFor(() => expect(highlightedLines()).toHaveLength(count), { timeout: 30_000, interval: 20 });
}

const lines = [
  'const greeting = `hello',
  '${name}`; // a template that spans lines',
  '/* a comment',
  '   still the comment */ let tag = "<b>";',
  'function add(a: number, b: number) {',
  '  return a + b;',
  '}',
];
const fence = '```ts\n';

beforeEach(() => {
  tokenized.length = 0;
  container = document.createElement('div');
});
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
});

describe('highlight()', () => {
  it('highlights each line once it is complete, tokenizing it once, and never takes a highlighted line back', async () => {
    const plugins = [highlight()];
    render({ content: `${fence}${lines[0]}\n${lines[1]!.slice(0, 2)}`, streaming: true, plugins });
    await untilHighlighted(1);

    const body = lines.join('\n');
    let shown = 1;
    for (let end = lines[0]!.length + 3; end <= body.length; end++) {
      render({ content: fence + body.slice(0, end), streaming: true, plugins });
      const highlighted = highlightedLines();
      // Every line followed by a character of the next is highlighted; the line being written is not
      // (nor one just ended: the lexer drops a code block's last newline until more follows).
      const complete = body.slice(0, end).replace(/\n$/, '').split('\n').length - 1;
      expect(highlighted.length).toBeGreaterThanOrEqual(shown);
      expect(highlighted).toEqual(lines.slice(0, complete));
      shown = highlighted.length;
    }
    expect(tokenized).toEqual(lines.slice(0, -1));
    // Shiki's colours, a pair for the light and the dark scheme.
    expect(container.querySelector('pre code span[style*="light-dark"]')).not.toBeNull();
    // The line being written follows the highlighted ones, plain.
    expect(container.querySelector('pre code > span')!.nextSibling!.textContent).toBe(lines.at(-1));
  });

  it('highlights the last line when the fence closes, and tokenizes nothing again when the block settles', async () => {
    const plugins = [highlight()];
    const body = lines.join('\n');
    render({ content: `${fence}${body}\n`, streaming: true, plugins });
    await untilHighlighted(lines.length - 1);
    render({ content: `${fence}${body}\n\`\``, streaming: true, plugins });
    render({ content: `${fence}${body}\n\`\`\`\n`, streaming: true, plugins });
    expect(highlightedLines()).toEqual(lines);
    // The block settles under the next paragraph and mounts again, then the message ends.
    render({ content: `${fence}${body}\n\`\`\`\n\nThat is all.\n\nDone`, streaming: true, plugins });
    render({ content: `${fence}${body}\n\`\`\`\n\nThat is all.\n\nDone.`, plugins });
    expect(highlightedLines()).toEqual(lines);
    expect(tokenized).toEqual(lines);
  });

  it('tokenizes a block that arrives whole once, line by line, and shows its text unchanged', async () => {
    const body = lines.join('\n');
    render({ content: `Here:\n\n${fence}${body}\n\`\`\`\n`, plugins: [highlight()] });
    expect(container.querySelector('pre code')!.textContent).toBe(body);
    await untilHighlighted(lines.length);
    expect(tokenized).toEqual(lines);
    expect(container.querySelector('pre code')!.textContent).toBe(body);
    expect(container.querySelector('.sluice-code-language')!.textContent).toBe('ts');
  });

  it('highlights a long block that arrives whole over several renders, each line once', async () => {
    const long = Array.from({ length: 200 }, (_, index) => `const value${index} = compute(${index}, 'text');`);
    render({ content: `${fence}${long.join('\n')}\n\`\`\`\n`, plugins: [highlight()] });
    await untilHighlighted(long.length);
    expect(highlightedLines()).toEqual(long);
    expect(tokenized).toEqual(long);
  });

  it('keeps code in an unknown language, or none, plain', async () => {
    const unknown = vi.fn<LanguageLoader>(() => import('shiki/langs/typescript.mjs'));
    render({
      content: '```brainfuck\n++>+<\n```\n\n```\nplain text\n```\n\n```ts\nlet a = 1\n```\n',
      plugins: [highlight({ languages: { other: unknown } })],
    });
    await untilHighlighted(1);
    expect([...container.querySelectorAll('pre code')].map((code) => code.childElementCount)).toEqual([0, 0, 1]);
    expect(container.querySelectorAll('pre code')[0]!.textContent).toBe('++>+<');
    expect(unknown).not.toHaveBeenCalled();
  });

  it('leaves a block plain, and throws nothing, when its language cannot load', async () => {
    const failing = vi.fn<LanguageLoader>(() => Promise.reject(new Error('offline')));
    render({ content: '```elixir\nIO.puts "hi"\n```\n', plugins: [highlight({ languages: { elixir: failing } })] });
    await vi.waitFor(() => expect(failing).toHaveBeenCalled());
    // Let the failed load settle, then render again: still plain.
    await new Promise((resolve) => setTimeout(resolve, 0));
    render({ content: '```elixir\nIO.puts "hi"\n```\n\nMore.', plugins: [] });
    expect(container.querySelector('pre code')!.textContent).toBe('IO.puts "hi"');
    expect(container.querySelector('pre code')!.childElementCount).toBe(0);
  });

  it('shows markup in the code as text, highlighted, never as elements', async () => {
    const code = '<script>window.highlightXss = 1</script>\n<img src=x onerror="window.highlightXss = 2">';
    render({ content: `\`\`\`html\n${code}\n\`\`\`\n`, plugins: [highlight()] });
    await untilHighlighted(2);
    const block = container.querySelector('pre code')!;
    expect(block.textContent).toBe(code);
    expect(block.querySelector('script, img')).toBeNull();
    expect((window as { highlightXss?: unknown }).highlightXss).toBeUndefined();
  });
});
