import type { Meta, StoryObj } from '@storybook/react-vite';
import type { ReactNode } from 'react';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Chat } from '@sluice/react';
import type { ChatMessageInit, StreamPart } from '@sluice/stream-client';
import { partsStream } from '@sluice/stream-client/testing';
import type { RenderCounts } from '../.storybook/renderCounts.js';
import { longAnswer, shortAnswer } from './support/answers.js';
import { sse } from './support/sse.js';
import { inStoryFrame } from './support/inStoryFrame.js';

/**
 * Performance contracts held as counts in Chromium, not as timings: what users of other chat
 * libraries report as a page that freezes once the conversation is long.
 */
const meta = {
  title: 'Chat/Performance contracts',
  component: Chat,
  args: { url: '/api/contracts', retry: false },
  decorators: [inStoryFrame],
} satisfies Meta<typeof Chat>;

export default meta;
type Story = StoryObj<typeof meta>;

/** A settled conversation of `count` messages; every `tallEvery`th answer is a long one, with code and tables. */
function conversation(count: number, tallEvery = 0): ChatMessageInit[] {
  return Array.from({ length: count }, (_, index) => {
    if (index % 2 === 0) {
      return { id: `history-${index}`, role: 'user', content: `Question ${index}: how does streaming work?` };
    }
    const text = tallEvery > 0 && index % tallEvery === 1 ? longAnswer(1_500) : shortAnswer;
    return {
      id: `history-${index}`,
      role: 'assistant',
      content: text,
      // A source on each answer: its list shows once the views of parts have loaded.
      parts: [
        { type: 'text', id: `history-${index}-text`, text, state: 'done' },
        { type: 'source', id: `history-${index}-source`, source: { url: 'https://html.spec.whatwg.org/' } },
      ],
    };
  });
}

const history = conversation(500);

/** A reply in deltas of about a token (four characters). */
function tokens(text: string): StreamPart[] {
  return (text.match(/[\s\S]{1,4}/g) ?? []).map((piece) => ({ type: 'text-delta', text: piece }));
}

/**
 * The reply's events in bursts, `perBurst` events every `everyMs`, as a fast provider delivers
 * them: with bursts of 8 every 8 ms, about 1,000 tokens a second and several deltas a frame.
 */
function bursts(parts: readonly StreamPart[], perBurst: number, everyMs: number): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    async start(controller) {
      const text = await new Response(partsStream(parts)).text();
      const blocks = text.split(/(?<=\n\n)/);
      for (let index = 0; index < blocks.length; index += perBurst) {
        controller.enqueue(encoder.encode(blocks.slice(index, index + perBurst).join('')));
        await new Promise((resolve) => setTimeout(resolve, everyMs));
      }
      controller.close();
    },
  });
}

const fastAnswer = tokens(longAnswer(12_000));

export const LongConversation: Story = {
  name: '500 messages and a fast reply: settled messages render 0 times, the reply at most once a frame',
  args: { initialMessages: history },
  beforeEach({ msw }) {
    msw.use(sse('/api/contracts', () => bursts(fastAnswer, 8, 8)));
  },
  async play({ canvasElement }) {
    const counts = (window as { sluiceRenderCounts?: RenderCounts }).sluiceRenderCounts!;
    await expect(counts.connected).toBe(true);
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(500));
    // Everything a message shows is there (the views of parts load once, as the chat starts).
    await waitFor(() => expect(canvas.getAllByRole('navigation', { name: 'Sources' })).toHaveLength(250), {
      timeout: 10_000,
    });
    const warnings: string[] = [];
    const consoleError = console.error;
    console.error = (...args: unknown[]) => {
      warnings.push(args.map(String).join(' '));
      consoleError(...args);
    };
    try {
      counts.reset();
      await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'One more{Enter}');
      const articles = () => canvas.getAllByRole('article');
      await waitFor(() => expect(articles()).toHaveLength(502), { timeout: 5000 });
      // Frames from here to the end of the reply, which brings several deltas a frame.
      let frames = 0;
      let counting = true;
      const countFrames = () => {
        frames++;
        if (counting) requestAnimationFrame(countFrames);
      };
      requestAnimationFrame(countFrames);
      const reply = articles().at(-1)!;
      await waitFor(() => expect(reply.dataset['status']).toBe('done'), { timeout: 60_000 });
      counting = false;

      const views = counts.components.get('ChatMessageView')!;
      // Not one of the 500 settled messages rendered again, while two were added and one streamed.
      const settled = [...views.byKey].filter(([key]) => key.startsWith('history-'));
      await expect(settled).toEqual([]);
      const streamed = [...views.byKey].filter(([key]) => !key.startsWith('history-'));
      await expect(streamed).toHaveLength(2);
      const replyRenders = Math.max(...streamed.map(([, renders]) => renders));
      // At most once a frame (and a few more for its start and its end), however fast it came.
      await expect(replyRenders).toBeGreaterThan(10);
      await expect(replyRenders).toBeLessThanOrEqual(frames + 4);
      // The message box renders for its own keystrokes and for Stop coming and going, not each frame.
      await expect(counts.components.get('Composer')!.total).toBeLessThanOrEqual('One more'.length + 4);
      await expect(warnings.filter((warning) => /Maximum update depth/.test(warning))).toEqual([]);
    } finally {
      console.error = consoleError;
    }
  },
};

/** How far the conversation is from its bottom, in pixels: 0 (or under one, rounding) when it follows the stream. */
function fromBottom(scroller: HTMLElement): number {
  return scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop;
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));

const longChatAnswer = tokens(longAnswer(6_000));

export const TwoThousandMessages: Story = {
  name: '2,000 messages: opens at the bottom, follows a reply exactly, lets go, jumps back, and every message can be found',
  args: { initialMessages: conversation(2_000, 10) },
  beforeEach({ msw }) {
    msw.use(sse('/api/contracts', () => bursts(longChatAnswer, 8, 8)));
  },
  async play({ canvasElement }) {
    const counts = (window as { sluiceRenderCounts?: RenderCounts }).sluiceRenderCounts!;
    const canvas = within(canvasElement);
    await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(2_000), { timeout: 30_000 });
    // Everything a message shows is there (the views of parts load once, as the chat starts).
    await waitFor(() => expect(canvasElement.querySelectorAll('.sluice-sources')).toHaveLength(1_000), {
      timeout: 10_000,
    });
    const scroller = canvas.getByRole('region', { name: 'Conversation' });
    await nextFrame();
    await nextFrame();
    // It opens at the bottom, though most messages above have never been laid out.
    await expect(fromBottom(scroller)).toBeLessThanOrEqual(1);
    // An early message is skipped by the browser (neither laid out nor painted) with the 31 others
    // of its group, as one box, yet it is in the page.
    const third = canvas.getAllByRole('article')[2]!;
    const question = within(third).getByText('Question 2: how does streaming work?');
    await expect(getComputedStyle(third.parentElement!).contentVisibility).toBe('auto');
    await expect(third.parentElement!.children).toHaveLength(32);
    await expect(question.checkVisibility({ contentVisibilityAuto: true })).toBe(false);

    counts.reset();
    await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'One more{Enter}');
    const articles = () => canvas.getAllByRole('article');
    await waitFor(() => expect(articles()).toHaveLength(2_002), { timeout: 5000 });
    const reply = articles().at(-1)!;
    await waitFor(() => expect(reply.textContent!.length).toBeGreaterThan(200), { timeout: 10_000 });
    // Pinned while it streams: at the bottom at every frame checked, as the reply grows.
    const grownFrom = scroller.scrollHeight;
    for (let frame = 0; frame < 20; frame++) {
      await nextFrame();
      await expect(fromBottom(scroller)).toBeLessThanOrEqual(1);
    }
    await expect(scroller.scrollHeight).toBeGreaterThan(grownFrom);
    await expect(reply.dataset['status']).toBe('streaming');

    // Scrolling up lets go: the view stays where the reader is while the reply grows below.
    scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -600, bubbles: true, cancelable: true }));
    scroller.scrollTop -= 600;
    await nextFrame();
    await nextFrame();
    const jump = canvas.getByRole('button', { name: 'Jump to latest' });
    const top = scroller.getBoundingClientRect().top;
    const read = articles().find((article) => article.getBoundingClientRect().bottom > top + 40)!;
    const readAt = read.getBoundingClientRect().top;
    const stoppedAt = scroller.scrollHeight;
    await waitFor(() => expect(scroller.scrollHeight).toBeGreaterThan(stoppedAt + 200), { timeout: 10_000 });
    await expect(read.getBoundingClientRect().top).toBe(readAt);
    await expect(fromBottom(scroller)).toBeGreaterThan(400);

    // "Jump to latest" lands exactly at the bottom, and follows again.
    await userEvent.click(jump);
    await expect(fromBottom(scroller)).toBeLessThanOrEqual(1);
    await nextFrame();
    await expect(fromBottom(scroller)).toBeLessThanOrEqual(1);
    await waitFor(() => expect(reply.dataset['status']).toBe('done'), { timeout: 60_000 });
    await nextFrame();
    await expect(fromBottom(scroller)).toBeLessThanOrEqual(1);

    // Not one of the 2,000 settled messages rendered again during the reply; of the groups of 32,
    // only the last, which holds the question and the reply (and 16 settled messages), rendered.
    const views = counts.components.get('ChatMessageView')!;
    await expect([...views.byKey].filter(([key]) => key.startsWith('history-'))).toEqual([]);
    await expect([...counts.components.get('MessageGroup')!.byKey.keys()]).toEqual(['1984']);

    // Find in page reaches a message that was never laid out: Chromium's window.find, as Ctrl+F does.
    // Its arguments: the text, case-sensitive, backwards, wrapping around (the search starts after the selection).
    const find = (window as Window & { find?: (text: string, ...flags: boolean[]) => boolean }).find;
    await expect(typeof find).toBe('function');
    await expect(find!.call(window, 'Question 2: how', true, false, true)).toBe(true);
    const found = window.getSelection()!;
    await expect(found.toString()).toBe('Question 2: how');
    await expect(third.contains(found.anchorNode)).toBe(true);
  },
};

/** Highlights code as apps do, a moment after it is complete: each line in a span, the text unchanged. */
async function highlight(code: string): Promise<ReactNode> {
  await new Promise((resolve) => setTimeout(resolve, 30));
  return code.split('\n').map((line, index) => (
    <span key={index} className="story-highlighted">
      {line}
      {'\n'}
    </span>
  ));
}

const richAnswer = `Here is how the client reads a stream, step by step.

\`\`\`ts
const stream = streamText({ url: '/api/chat', body: { messages } });
for await (const delta of stream.text()) {
  render(delta);
}
\`\`\`

| Event | What it carries | When |
|---|---|---|
| start | the reply's id | first |
| text-delta | a few characters | many times |
| finish | why it ended | last |

And the server half, which relays the provider:

\`\`\`ts
export const POST = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini' });
\`\`\`

${longAnswer(3_000)}`;

export const NoLayoutShift: Story = {
  name: 'A reply with code, a table and highlighting settling: only the block being written moves',
  args: { markdown: { highlight } },
  beforeEach({ msw }) {
    msw.use(sse('/api/contracts', () => bursts(tokens(richAnswer), 2, 8)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    let shifts = 0;
    const moved: string[] = [];
    const observer = new PerformanceObserver((list) => {
      // The block being written is the one that holds the caret; everything else must stay put.
      const live = canvasElement.querySelector('.sluice-caret')?.closest('.sluice-message > *');
      for (const entry of list.getEntries() as LayoutShift[]) {
        if (entry.hadRecentInput) continue;
        shifts++;
        for (const { node, previousRect: a, currentRect: b } of entry.sources) {
          if (node === null || !node.isConnected || (live != null && live.contains(node))) continue;
          // Moving up together as the conversation follows the stream is scrolling, not a shift; a
          // box that moves sideways or changes size (a button, a highlighted block, a table) is.
          const near = (x: number, y: number) => Math.abs(x - y) < 0.5;
          if (near(a.x, b.x) && near(a.width, b.width) && near(a.height, b.height)) continue;
          const element = node instanceof Element ? node : node.parentElement!;
          moved.push(`${element.tagName.toLowerCase()}.${element.className}: ${node.textContent?.slice(0, 40)}`);
        }
      }
    });
    observer.observe({ type: 'layout-shift' });
    try {
      await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), 'How does it work?{Enter}');
      await waitFor(() => expect(canvas.getAllByRole('article')).toHaveLength(2));
      const reply = canvas.getAllByRole('article').at(-1)!;
      await waitFor(() => expect(reply.dataset['status']).toBe('done'), { timeout: 60_000 });
      // And until the code blocks' highlighting, which comes after each is complete, has settled.
      await waitFor(() => expect(reply.querySelectorAll('.sluice-code .story-highlighted').length).toBeGreaterThan(4));
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The reply did move things as it was written (the caret, its own lines), so the observer saw it work.
      await expect(shifts).toBeGreaterThan(10);
      await expect(moved).toEqual([]);
    } finally {
      observer.disconnect();
    }
  },
};

/** A `layout-shift` performance entry, which TypeScript's DOM types do not name. */
interface LayoutShift extends PerformanceEntry {
  value: number;
  hadRecentInput: boolean;
  sources: { node: Node | null; previousRect: DOMRectReadOnly; currentRect: DOMRectReadOnly }[];
}
