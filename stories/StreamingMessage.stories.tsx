import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { StreamingMessage } from '@sluice/react';
import { codeHeavyAnswer, longAnswer, shortAnswer, tableHeavyAnswer, xssGallery } from './support/answers.js';
import { answerStream } from './support/answerStream.js';
import { sse } from './support/sse.js';
import { StreamedAnswer } from './support/StreamedAnswer.js';

const meta = {
  title: 'StreamingMessage',
  component: StreamedAnswer,
  args: { question: 'Explain SSE' },
} satisfies Meta<typeof StreamedAnswer>;

export default meta;
type Story = StoryObj<typeof meta>;

async function streamAndWait(canvasElement: HTMLElement, timeout = 10_000) {
  const canvas = within(canvasElement);
  await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));
  await waitFor(() => expect(canvasElement.querySelector('[data-status="done"]')).not.toBeNull(), { timeout });
  return canvas;
}

export const Slow: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream('A slow answer, one **word** at a time.', 80)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));
    // Mid-stream the message is busy and shows the caret.
    await waitFor(() =>
      expect(canvasElement.querySelector('.sluice-message[aria-busy="true"] .sluice-caret')).not.toBeNull(),
    );
    await waitFor(() => expect(canvasElement.querySelector('[data-status="done"]')).not.toBeNull(), { timeout: 8000 });
    await expect(canvas.getByText('word').tagName).toBe('STRONG');
    await expect(canvasElement.querySelector('.sluice-caret')).toBeNull();
  },
};

export const Normal: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(shortAnswer, 25)));
  },
  async play({ canvasElement }) {
    const canvas = await streamAndWait(canvasElement);
    await expect(canvas.getByRole('heading', { name: 'Server-Sent Events' })).toBeVisible();
    await expect(canvas.getAllByRole('listitem')).toHaveLength(3);
  },
};

export const Bursty2000TokensPerSecond: Story = {
  name: 'Bursty (2,000 tokens/s)',
  beforeEach({ msw }) {
    // Eight tokens every 4 ms: 2,000 tokens a second, far more than frames.
    msw.use(sse('/api/answer', () => answerStream(longAnswer(8_000), 4, 8)));
  },
  async play({ canvasElement }) {
    const canvas = await streamAndWait(canvasElement);
    await expect(canvas.getAllByRole('heading', { level: 3 }).length).toBeGreaterThan(10);
    await expect(canvasElement.textContent).not.toContain('**');
  },
};

export const Long30kAnswer: Story = {
  name: 'Long answer (30k characters)',
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(longAnswer(30_000), 2, 16)));
  },
  async play({ canvasElement }) {
    const canvas = await streamAndWait(canvasElement, 20_000);
    const headings = canvas.getAllByRole('heading', { level: 3 });
    await expect(headings.length).toBeGreaterThan(80);
    await expect(headings.at(-1)!.textContent).toMatch(/^Section \d+$/);
  },
};

export const CodeHeavy: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(codeHeavyAnswer, 5, 2)));
  },
  async play({ canvasElement }) {
    await streamAndWait(canvasElement);
    const languages = [...canvasElement.querySelectorAll('.sluice-code-language')].map((label) => label.textContent);
    await expect(languages).toEqual(['ts', 'ts', 'bash']);
    await expect(canvasElement.querySelectorAll('button.sluice-copy')).toHaveLength(3);
  },
};

export const TableHeavy: Story = {
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(tableHeavyAnswer, 5, 2)));
  },
  async play({ canvasElement }) {
    await streamAndWait(canvasElement);
    await expect(canvasElement.querySelectorAll('table')).toHaveLength(2);
    await expect(canvasElement.querySelector('table th')!.textContent).toBe('Provider');
    await expect(canvasElement.textContent).not.toContain('|');
  },
};

/** Markdown cut mid-syntax, as it looks mid-stream: no raw markers, no wrong elements. */
export const UnfinishedMarkdown: StoryObj<typeof StreamingMessage> = {
  render: () => (
    <div>
      {[
        'A **bold claim still being wri',
        'An _emphasis that is not_ closed and ~~struck thro',
        'Read [the documentation](https://example.com/do',
        'Call `streamText(',
        'Title\n-',
        '| Name | Speed |\n|--',
        '- first\n- second\n-',
        '```python\nprint("still streaming")',
      ].map((content) => (
        <section key={content} data-case={content}>
          <StreamingMessage content={content} streaming />
        </section>
      ))}
    </div>
  ),
  async play({ canvasElement }) {
    const text = canvasElement.textContent ?? '';
    await expect(text).not.toMatch(/\*\*|~~|`|\[|\]\(|\|/);
    await expect(canvasElement.querySelector('h2')).toBeNull();
    await expect(canvasElement.querySelector('[data-case^="A **bold"] strong')!.textContent).toBe(
      'bold claim still being wri',
    );
    await expect(canvasElement.querySelector('[data-case^="| Name"] th')!.textContent).toBe('Name');
    await expect(canvasElement.querySelector('[data-case^="```python"] .sluice-code-language')!.textContent).toBe(
      'python',
    );
    await expect(canvasElement.querySelectorAll('[data-case^="- first"] li')).toHaveLength(2);
  },
};

/** Model output trying to run script or leak data: it renders, and stays inert. */
export const XssGallery: StoryObj<typeof StreamingMessage> = {
  name: 'XSS gallery (inert)',
  render: () => (
    <div>
      <StreamingMessage content={xssGallery} />
      <StreamingMessage content={xssGallery.slice(0, 400)} streaming />
    </div>
  ),
  async play({ canvasElement }) {
    // Give anything that could run a moment to run.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await expect((window as { sluiceXssRan?: unknown }).sluiceXssRan).toBeUndefined();
    await expect(canvasElement.querySelector('script, svg, iframe, object, embed')).toBeNull();
    for (const element of canvasElement.querySelectorAll('*')) {
      for (const attribute of element.attributes) await expect(attribute.name.startsWith('on')).toBe(false);
    }
    for (const link of canvasElement.querySelectorAll('a'))
      await expect(link.getAttribute('href')).toMatch(/^(https?:|mailto:)/);
    await expect(canvasElement.querySelector('img')).toBeNull();
    await expect(canvasElement.querySelector('a.sluice-image-link')!.textContent).toBe('tracking pixel');
    await expect(canvasElement.textContent).toContain("<script>window.sluiceXssRan = 'script'</script>");
  },
};

export const Unstyled: Story = {
  name: 'Unstyled: nothing shows twice without the stylesheet',
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(shortAnswer, 5)));
    // The components must work without @sluice/react/styles.css: switch it off for this story.
    const sheets = [...document.styleSheets].filter((sheet) =>
      [...sheet.cssRules].some((rule) => rule.cssText.includes('.sluice-')),
    );
    for (const sheet of sheets) sheet.disabled = true;
    return () => {
      for (const sheet of sheets) sheet.disabled = false;
    };
  },
  async play({ canvasElement }) {
    await streamAndWait(canvasElement);
    await expect(getComputedStyle(canvasElement.querySelector('.sluice-message')!).fontFamily).not.toContain(
      'system-ui',
    );
    // The live region that repeats the latest block to screen readers takes no room on the page.
    const region = canvasElement.querySelector('[aria-live="polite"]')!;
    await expect(region.textContent).not.toBe('');
    const box = region.getBoundingClientRect();
    await expect(box.width <= 1 && box.height <= 1).toBe(true);
  },
};
