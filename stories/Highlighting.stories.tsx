import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { StreamingMessage } from '@sluice/react';
import { highlight } from '@sluice/react/highlight';
import { answerStream } from './support/answerStream.js';
import { sse } from './support/sse.js';
import { StreamedAnswer } from './support/StreamedAnswer.js';

/** One plugin for the page: its highlighter, and the lines it has highlighted, are shared by every message. */
const plugins = [highlight()];

/** A long TypeScript answer: `count` lines of code in one block, with prose before and after. */
function longCodeAnswer(count: number): string {
  const lines = ['export class RateLimiter {', '  private readonly buckets = new Map<string, number>();'];
  for (let index = 0; lines.length < count - 1; index++) {
    lines.push(
      `  /** Step ${index}: a comment, a string and a template. */`,
      `  step${index}(key: string, limit = ${index + 1}): boolean {`,
      `    const used = this.buckets.get(\`\${key}:${index}\`) ?? 0; // "<b>not markup</b>"`,
      `    this.buckets.set(key, used + 1);`,
      `    return used < limit;`,
      '  }',
    );
  }
  lines.push('}');
  return `Here is a limiter, one method per step:\n\n\`\`\`ts\n${lines.join('\n')}\n\`\`\`\n\nEach step counts its own calls.`;
}

const answerText = longCodeAnswer(150);
const codeLines = answerText.split('```ts\n')[1]!.split('\n```')[0]!.split('\n');

const meta = {
  title: 'Highlighting',
  component: StreamedAnswer,
  args: { question: 'Write a rate limiter', plugins },
} satisfies Meta<typeof StreamedAnswer>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The highlighted lines of the message's code block. */
const highlightedLines = (root: HTMLElement) =>
  root.querySelectorAll('.sluice-code pre code > span > span > span').length;

export const LongCodeAnswer: Story = {
  name: 'A long code answer, highlighted line by line',
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', () => answerStream(answerText, 8, 2)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    // Every change to the page, as it happens: the highlighted lines and the block's height.
    const counts: number[] = [];
    const heights: number[] = [];
    const observer = new MutationObserver(() => {
      const block = canvasElement.querySelector('.sluice-code');
      if (block === null) return;
      counts.push(highlightedLines(canvasElement));
      heights.push(block.getBoundingClientRect().height);
    });
    observer.observe(canvasElement, { childList: true, subtree: true, characterData: true });
    await userEvent.click(canvas.getByRole('button', { name: 'Stream answer' }));

    // Lines are highlighted while the block still streams, the one being written left plain.
    await waitFor(
      () => {
        expect(canvasElement.querySelector('.sluice-code[data-partial]')).not.toBeNull();
        expect(highlightedLines(canvasElement)).toBeGreaterThan(10);
      },
      { timeout: 30_000 },
    );
    const caret = canvasElement.querySelector('.sluice-code pre code > .sluice-caret');
    await expect(caret?.previousSibling?.nodeType).toBe(Node.TEXT_NODE);

    await waitFor(() => expect(canvasElement.querySelector('[data-status="done"]')).not.toBeNull(), {
      timeout: 60_000,
    });
    observer.disconnect();
    await expect(highlightedLines(canvasElement)).toBe(codeLines.length);
    // Laid out in blocks of lines, the code reads as its lines, one under another.
    await expect((canvasElement.querySelector('.sluice-code pre code') as HTMLElement).innerText).toBe(
      codeLines.join('\n'),
    );
    await expect(counts.length).toBeGreaterThan(100);
    // At no observed step did a highlighted line go back to plain, or the block get shorter.
    await expect(counts.findIndex((count, index) => index > 0 && count < counts[index - 1]!)).toBe(-1);
    await expect(heights.findIndex((height, index) => index > 0 && height < heights[index - 1]!)).toBe(-1);
    await expect(canvasElement.querySelector('.sluice-code [style*="light-dark"]')).not.toBeNull();
  },
};

const themed = '```ts\nconst answer = 42; // the colours follow the theme\n```\n';

/** The same finished block under a forced light theme and a forced dark one. */
function ForcedThemes() {
  return (
    <div>
      <div className="sluice-theme-light" data-theme="light">
        <StreamingMessage content={themed} plugins={plugins} />
      </div>
      <div className="sluice-theme-dark" data-theme="dark">
        <StreamingMessage content={themed} plugins={plugins} />
      </div>
    </div>
  );
}

/** A forced `.sluice-theme-dark` or `-light` ancestor picks the highlighted code's colours, whatever the reader's own scheme. */
export const ForcedThemeColours: Story = {
  render: () => <ForcedThemes />,
  async play({ canvasElement }) {
    const keyword = (theme: string) =>
      canvasElement.querySelector<HTMLElement>(`[data-theme="${theme}"] .sluice-code [style*="light-dark"]`);
    await waitFor(() => expect(keyword('dark')).not.toBeNull(), { timeout: 30_000 });
    await waitFor(() => expect(keyword('light')).not.toBeNull(), { timeout: 30_000 });
    await expect(getComputedStyle(keyword('dark')!).colorScheme).toBe('dark');
    await expect(getComputedStyle(keyword('light')!).colorScheme).toBe('light');
    await expect(getComputedStyle(keyword('dark')!).color).not.toBe(getComputedStyle(keyword('light')!).color);
  },
};
