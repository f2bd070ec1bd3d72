import { act } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import type { HighlighterCore } from 'shiki/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamingMessage } from '../components/StreamingMessage.js';
import type { StreamingMessageProps } from '../components/StreamingMessage.js';
import { BlockTokenizer } from './BlockTokenizer.js';
import type { LanguageLoader } from './CodeHighlighter.js';
import { highlight } from './highlight.js';
import type { HighlightOptions } from './highlight.js';
import type { TokenizerRequest } from './TokenizerRequest.js';

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

/**
 * The highlight worker in this thread: the worker's own tokenizer, each message copied as a
 * worker's would be and delivered a task later, each way. `fail` makes it report an error event
 * (its file did not load, or it threw) instead of answering the `fail`th request.
 */
class FakeWorker extends EventTarget {
  static made: FakeWorker[] = [];
  readonly requests: TokenizerRequest[] = [];
  terminated = false;
  readonly tokenizer = new BlockTokenizer((reply) => {
    const data = structuredClone(reply);
    setTimeout(() => {
      if (!this.terminated) this.dispatchEvent(new MessageEvent('message', { data }));
    }, 0);
  });

  constructor(private readonly fail = Infinity) {
    super();
    FakeWorker.made.push(this);
  }

  postMessage(request: TokenizerRequest) {
    if (this.terminated) return;
    const copy = structuredClone(request);
    const count = this.requests.push(copy);
    setTimeout(() => {
      if (this.terminated) return;
      if (count >= this.fail) this.dispatchEvent(new Event('error', { cancelable: true }));
      else this.tokenizer.receive(copy);
    }, 0);
  }

  terminate() {
    this.terminated = true;
  }

  /** How many blocks' grammar states the worker holds. */
  get states(): number {
    return (Reflect.get(this.tokenizer, 'states') as Map<number, unknown>).size;
  }
}

const inWorker = (): HighlightOptions => ({ worker: () => new FakeWorker() as unknown as Worker });

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
  FakeWorker.made = [];
  container = document.createElement('div');
});
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
});

/** Waits until the highlighted lines are `expected`, as they come back from the tokenizer. */
async function untilLines(expected: readonly string[]) {
  await vi.waitFor(() => expect(highlightedLines()).toEqual(expected), { timeout: 30_000, interval: 5 });
}

describe.each([
  ['in a worker', inWorker],
  ['on the main thread', (): HighlightOptions => ({ worker: false })],
])('highlight(), %s', (_where, options) => {
  it('highlights each line once it is complete, tokenizing it once, and never takes a highlighted line back', async () => {
    const plugins = [highlight(options())];
    render({ content: `${fence}${lines[0]}\n${lines[1]!.slice(0, 2)}`, streaming: true, plugins });
    await untilHighlighted(1);

    const body = lines.join('\n');
    let shown = 1;
    for (let end = lines[0]!.length + 3; end <= body.length; end++) {
      render({ content: fence + body.slice(0, end), streaming: true, plugins });
      // Every line followed by a character of the next is highlighted once it comes back; the line
      // being written is not (nor one just ended: the lexer drops a code block's last newline until
      // more follows). Until then, the lines shown stay.
      const complete = body.slice(0, end).replace(/\n$/, '').split('\n').length - 1;
      expect(highlightedLines()).toEqual(lines.slice(0, highlightedLines().length));
      expect(highlightedLines().length).toBeGreaterThanOrEqual(shown);
      await untilLines(lines.slice(0, complete));
      shown = complete;
    }
    expect(tokenized).toEqual(lines.slice(0, -1));
    // Shiki's colours, a pair for the light and the dark scheme.
    expect(container.querySelector('pre code span[style*="light-dark"]')).not.toBeNull();
    // The line being written follows the highlighted ones, plain.
    expect(container.querySelector('pre code > span')!.nextSibling!.textContent).toBe(lines.at(-1));
  });

  it('highlights the last line when the fence closes, and tokenizes nothing again when the block settles', async () => {
    const plugins = [highlight(options())];
    const body = lines.join('\n');
    render({ content: `${fence}${body}\n`, streaming: true, plugins });
    await untilHighlighted(lines.length - 1);
    render({ content: `${fence}${body}\n\`\``, streaming: true, plugins });
    render({ content: `${fence}${body}\n\`\`\`\n`, streaming: true, plugins });
    await untilLines(lines);
    // The block settles under the next paragraph and mounts again, then the message ends.
    render({ content: `${fence}${body}\n\`\`\`\n\nThat is all.\n\nDone`, streaming: true, plugins });
    render({ content: `${fence}${body}\n\`\`\`\n\nThat is all.\n\nDone.`, plugins });
    expect(highlightedLines()).toEqual(lines);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(highlightedLines()).toEqual(lines);
    expect(tokenized).toEqual(lines);
  });

  it('tokenizes a block that arrives whole once, line by line, and shows its text unchanged', async () => {
    const body = lines.join('\n');
    render({ content: `Here:\n\n${fence}${body}\n\`\`\`\n`, plugins: [highlight(options())] });
    expect(container.querySelector('pre code')!.textContent).toBe(body);
    await untilHighlighted(lines.length);
    expect(tokenized).toEqual(lines);
    expect(container.querySelector('pre code')!.textContent).toBe(body);
    expect(container.querySelector('.sluice-code-language')!.textContent).toBe('ts');
  });

  it('highlights a long block that arrives whole, each line once', async () => {
    const long = Array.from({ length: 200 }, (_, index) => `const value${index} = compute(${index}, 'text');`);
    render({ content: `${fence}${long.join('\n')}\n\`\`\`\n`, plugins: [highlight(options())] });
    await untilHighlighted(long.length);
    expect(highlightedLines()).toEqual(long);
    expect(tokenized).toEqual(long);
  });

  it('keeps code in an unknown language, or none, plain', async () => {
    const unknown = vi.fn<LanguageLoader>(() => import('shiki/langs/typescript.mjs'));
    render({
      content: '```brainfuck\n++>+<\n```\n\n```\nplain text\n```\n\n```ts\nlet a = 1\n```\n',
      plugins: [highlight({ ...options(), languages: { other: unknown } })],
    });
    await untilHighlighted(1);
    expect([...container.querySelectorAll('pre code')].map((code) => code.childElementCount)).toEqual([0, 0, 1]);
    expect(container.querySelectorAll('pre code')[0]!.textContent).toBe('++>+<');
    expect(unknown).not.toHaveBeenCalled();
  });

  it('leaves a block plain, and throws nothing, when its language cannot load', async () => {
    const failing = vi.fn<LanguageLoader>(() => Promise.reject(new Error('offline')));
    render({
      content: '```elixir\nIO.puts "hi"\n```\n',
      plugins: [highlight({ ...options(), languages: { elixir: failing } })],
    });
    await vi.waitFor(() => expect(failing).toHaveBeenCalled());
    // Let the failed load settle, then render again: still plain.
    await new Promise((resolve) => setTimeout(resolve, 0));
    render({ content: '```elixir\nIO.puts "hi"\n```\n\nMore.', plugins: [] });
    expect(container.querySelector('pre code')!.textContent).toBe('IO.puts "hi"');
    expect(container.querySelector('pre code')!.childElementCount).toBe(0);
  });

  it('shows each block its own lines when several in one language mount before the language loads', async () => {
    // Lines of the same lengths, and the same last line: nothing but their text tells them apart.
    const first = 'const a = 1;\nrun();';
    const second = 'const b = 2;\nrun();';
    render({ content: `\`\`\`ts\n${first}\n\`\`\`\n\n\`\`\`ts\n${second}\n\`\`\`\n`, plugins: [highlight(options())] });
    await untilHighlighted(4);
    const blocks = [...container.querySelectorAll('pre code')].map((block) => block.textContent);
    expect(blocks).toEqual([first, second]);
    expect(highlightedLines()).toEqual([...first.split('\n'), ...second.split('\n')]);
  });

  it('shows markup in the code as text, highlighted, never as elements', async () => {
    const code = '<script>window.highlightXss = 1</script>\n<img src=x onerror="window.highlightXss = 2">';
    render({ content: `\`\`\`html\n${code}\n\`\`\`\n`, plugins: [highlight(options())] });
    await untilHighlighted(2);
    const block = container.querySelector('pre code')!;
    expect(block.textContent).toBe(code);
    expect(block.querySelector('script, img')).toBeNull();
    expect((window as { highlightXss?: unknown }).highlightXss).toBeUndefined();
  });
});

describe('highlight() with a worker', () => {
  it('tokenizes in the worker, lines sent in batches, and shows a line only once it comes back', async () => {
    const plugins = [highlight(inWorker())];
    const body = lines.join('\n');
    render({ content: `${fence}${body}\n\`\`\`\n`, plugins });
    await untilLines(lines);
    const [worker] = FakeWorker.made;
    const sent = worker!.requests.filter((request) => request.type === 'lines');
    // One message for the whole block, not one per line.
    expect(sent).toHaveLength(1);
    expect(sent[0]!.lines).toEqual(lines);

    // A long block: a few messages of about 1,500 characters, each shown as it comes back.
    const long = Array.from({ length: 200 }, (_, index) => `const value${index} = compute(${index}, 'text');`);
    render({ content: `${fence}${long.join('\n')}\n\`\`\`\n`, plugins });
    await untilLines(long);
    const batches = worker!.requests.filter((request) => request.type === 'lines').length - 1;
    expect(batches).toBeGreaterThan(1);
    expect(batches).toBeLessThan(10);

    // A second block, streamed: its complete line stays plain until the worker's answer arrives.
    render({ content: `${fence}${long.join('\n')}\n\`\`\`\n\n${fence}let a = 1;\nlet b`, streaming: true, plugins });
    const second = () => container.querySelectorAll('pre code')[1]!;
    const secondLines = () => second().querySelectorAll('.sluice-highlighted > span > span');
    expect(secondLines()).toHaveLength(0);
    expect(second().textContent).toBe('let a = 1;\nlet b');
    await vi.waitFor(() => expect(secondLines()).toHaveLength(1));
    expect(secondLines()[0]!.textContent).toBe('let a = 1;');
    expect(second().querySelector('.sluice-highlighted')!.nextSibling!.textContent).toBe('let b');
    expect(FakeWorker.made).toHaveLength(1);
  });

  it('frees a block state in the worker when the block completes, or when it is dropped unfinished', async () => {
    const plugins = [highlight(inWorker())];
    // A stream stopped in the middle of a block: the worker keeps its state for the lines to come.
    render({ content: `${fence}${lines[0]}\n${lines[1]}\n`, streaming: true, plugins });
    await untilHighlighted(1);
    const [worker] = FakeWorker.made;
    expect(worker!.states).toBe(1);
    // 64 other blocks, each complete: only the unfinished one's state is left, until it is dropped.
    const blocks = Array.from({ length: 64 }, (_, index) => `${fence}let value${index} = ${index};\n\`\`\`\n`);
    for (const block of blocks) {
      render({ content: block, plugins });
      await untilHighlighted(1);
      expect(worker!.states).toBeLessThanOrEqual(1);
    }
    await vi.waitFor(() => expect(worker!.states).toBe(0));
    expect(worker!.requests).toContainEqual({ type: 'free', block: 0 });
  });

  it('tokenizes on the main thread when the worker fails, losing no line and keeping those shown', async () => {
    const plugins = [highlight({ worker: () => new FakeWorker(5) as unknown as Worker })];
    // Requests: themes, the grammar, and one line each; the fifth (the third line) meets a dead worker.
    render({ content: `${fence}${lines[0]}\n${lines[1]!.slice(0, 2)}`, streaming: true, plugins });
    await untilLines(lines.slice(0, 1));
    render({ content: `${fence}${lines.slice(0, 2).join('\n')}\n${lines[2]!.slice(0, 2)}`, streaming: true, plugins });
    await untilLines(lines.slice(0, 2));
    render({ content: `${fence}${lines.slice(0, 3).join('\n')}\n${lines[3]!.slice(0, 2)}`, streaming: true, plugins });
    await untilLines(lines.slice(0, 3));
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    const body = lines.join('\n');
    render({ content: `${fence}${body}\n\`\`\`\n`, streaming: true, plugins });
    await untilLines(lines);
    // The main thread tokenized the lines again from the first, for the grammar state the worker had.
    expect(tokenized).toEqual([...lines.slice(0, 2), ...lines]);
    expect(container.querySelector('pre code')!.textContent).toBe(body);
  });

  it('tokenizes nothing again for a block the worker finished, after the worker fails', async () => {
    const plugins = [highlight({ worker: () => new FakeWorker(4) as unknown as Worker })];
    // Requests: themes, the grammar, the first block's lines; the second block's meet a dead worker.
    const first = `${fence}${lines.join('\n')}\n\`\`\`\n`;
    render({ content: first, plugins });
    await untilLines(lines);
    render({ content: `${first}\n${fence}let a = 1;\n\`\`\`\n`, plugins });
    await untilLines([...lines, 'let a = 1;']);
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    // The first block mounts again (another message shows it): its lines are kept, not sent again.
    render({ content: `Again:\n\n${first}`, plugins });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(highlightedLines()).toEqual(lines);
    expect(tokenized).toEqual([...lines, 'let a = 1;']);
  });

  it('tokenizes on the main thread when the worker cannot be made', async () => {
    const plugins = [
      highlight({
        worker: () => {
          throw new DOMException('Refused by the content security policy', 'SecurityError');
        },
      }),
    ];
    render({ content: `${fence}${lines.join('\n')}\n\`\`\`\n`, plugins });
    await untilLines(lines);
    expect(tokenized).toEqual(lines);
  });
});
