import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Chat } from '@sluice/react';
import type { ChatMessageInit, StreamPart } from '@sluice/stream-client';
import { partsStream } from '@sluice/stream-client/testing';
import type { RenderCounts } from '../.storybook/renderCounts.js';
import { longAnswer, shortAnswer } from './support/answers.js';
import { sse } from './support/sse.js';

/**
 * Performance contracts held as counts in Chromium, not as timings: what users of other chat
 * libraries report as a page that freezes once the conversation is long.
 */
const meta = {
  title: 'Chat/Performance contracts',
  component: Chat,
  args: { url: '/api/contracts', retry: false },
  decorators: [
    (Story) => (
      <div className="story-frame">
        <Story />
      </div>
    ),
  ],
} satisfies Meta<typeof Chat>;

export default meta;
type Story = StoryObj<typeof meta>;

const history: ChatMessageInit[] = Array.from({ length: 500 }, (_, index) =>
  index % 2 === 0
    ? { id: `history-${index}`, role: 'user', content: `Question ${index}: how does streaming work?` }
    : {
        id: `history-${index}`,
        role: 'assistant',
        content: shortAnswer,
        // A source on each answer: its list shows once the views of parts have loaded.
        parts: [
          { type: 'text', id: `history-${index}-text`, text: shortAnswer, state: 'done' },
          { type: 'source', id: `history-${index}-source`, source: { url: 'https://html.spec.whatwg.org/' } },
        ],
      },
);

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
      await waitFor(() => expect(reply.dataset['status']).toBe('done'), { timeout: 20_000 });
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
