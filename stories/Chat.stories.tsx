import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Chat } from '@sluice/react';
import { mockStream, providerEvents, rateLimitedResponse, streamBlocks } from '@sluice/stream-client/testing';
import { codeHeavyAnswer, longAnswer, shortAnswer } from './support/answers.js';
import { sse } from './support/sse.js';
import { inStoryFrame } from './support/inStoryFrame.js';

const meta = {
  title: 'Chat',
  component: Chat,
  args: { url: '/api/chat' },
  decorators: [inStoryFrame],
} satisfies Meta<typeof Chat>;

export default meta;
type Story = StoryObj<typeof meta>;

async function ask(canvasElement: HTMLElement, question: string) {
  const canvas = within(canvasElement);
  await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), `${question}{Enter}`);
  return canvas;
}

async function replyDone(canvasElement: HTMLElement, timeout = 10_000) {
  await waitFor(
    () => expect(canvasElement.querySelector('[data-status="done"][aria-label="Assistant"]')).not.toBeNull(),
    { timeout },
  );
}

export const OpenAIFormat: Story = {
  name: 'OpenAI-format stream',
  args: { provider: 'openai', system: 'You are concise.' },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream(shortAnswer, { provider: 'openai', delayMs: 15 })));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'What is SSE?');
    await waitFor(() => expect(canvas.getByRole('button', { name: 'Stop' })).toBeVisible());
    await replyDone(canvasElement);
    await expect(canvas.getByRole('article', { name: 'You' }).textContent).toBe('What is SSE?');
    await expect(canvas.getByRole('heading', { name: 'Server-Sent Events' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'Send' })).toBeDisabled();
  },
};

export const AnthropicFormat: Story = {
  name: 'Anthropic-format stream',
  args: { provider: 'anthropic' },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream(codeHeavyAnswer, { provider: 'anthropic', delayMs: 5 })));
  },
  async play({ canvasElement }) {
    await ask(canvasElement, 'Show me code');
    await replyDone(canvasElement);
    await expect(canvasElement.querySelectorAll('.sluice-code')).toHaveLength(3);
  },
};

export const ErrorMidStream: Story = {
  name: 'Error mid-stream: partial text kept, Retry offered',
  args: { provider: 'openai', retry: false },
  beforeEach({ msw }) {
    msw.use(
      sse('/api/chat', (_request, attempt) =>
        attempt === 0
          ? mockStream(shortAnswer, {
              delayMs: 10,
              fault: { kind: 'error-event', afterEvents: 10, message: 'The model is overloaded' },
            })
          : mockStream(shortAnswer, { delayMs: 5 }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Explain');
    const alert = await canvas.findByRole('alert', {}, { timeout: 8000 });
    await expect(alert.firstChild?.textContent).toBe('The model ran into an error while answering.');
    // The technical detail is there, folded away until asked for.
    const details = alert.querySelector('details')!;
    await expect(within(details).getByText(/The model is overloaded/)).not.toBeVisible();
    await userEvent.click(within(details).getByText('Details'));
    await expect(within(details).getByText(/The model is overloaded/)).toBeVisible();
    await expect(canvas.getByRole('article', { name: 'Assistant' }).textContent).toContain('Server-Sent Events');
    await expect(canvas.getByRole('article', { name: 'You' })).toBeVisible();
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await replyDone(canvasElement);
    await expect(canvas.queryByRole('alert')).toBeNull();
  },
};

export const RateLimited: Story = {
  name: '429 with Retry-After, then the answer',
  args: { provider: 'openai', showMetrics: true },
  beforeEach({ msw }) {
    msw.use(
      sse('/api/chat', (_request, attempt) =>
        attempt === 0 ? rateLimitedResponse({ retryAfterMs: 600 }) : mockStream('Worth the wait.', { delayMs: 10 }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Hello?');
    await waitFor(() => expect(canvas.getByRole('status').textContent).toBe('Thinking…'));
    await replyDone(canvasElement);
    await expect(canvas.getByRole('article', { name: 'Assistant' }).textContent).toContain('Worth the wait.');
  },
};

export const ResumesAfterDrop: Story = {
  name: 'A dropped connection resumes with Last-Event-ID',
  args: { provider: 'openai', retry: { attempts: 3, baseDelayMs: 50, maxDelayMs: 500 } },
  beforeEach({ msw }) {
    const blocks = providerEvents('openai', { text: shortAnswer, ids: true });
    msw.use(
      sse('/api/chat', (request, attempt) => {
        if (attempt === 0) return streamBlocks(blocks.slice(0, 15), 10, undefined, 'drop');
        const resumeAfter = Number(request.headers.get('last-event-id'));
        return streamBlocks(blocks.slice(resumeAfter + 1), 5);
      }),
    );
  },
  async play({ canvasElement }) {
    await ask(canvasElement, 'Explain SSE');
    await replyDone(canvasElement);
    const reply = within(canvasElement).getByRole('article', { name: 'Assistant' });
    // Every token once: the heading and the three list items, no repeats.
    await expect(reply.querySelectorAll('h2')).toHaveLength(1);
    await expect(reply.querySelectorAll('li')).toHaveLength(3);
    await expect(reply.textContent!.match(/Server-Sent Events/g)).toHaveLength(1);
  },
};

export const StallTimesOut: Story = {
  name: 'A stall that times out',
  args: { provider: 'openai', idleTimeoutMs: 700, retry: false },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream(shortAnswer, { delayMs: 10, fault: { kind: 'stall', afterEvents: 8 } })));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Go');
    const alert = await canvas.findByRole('alert', {}, { timeout: 8000 });
    await expect(alert.firstChild?.textContent).toBe('The model took too long to respond.');
    await expect(alert.querySelector('details')?.textContent).toContain('stalled');
    await expect(canvas.getByRole('article', { name: 'Assistant' }).textContent!.length).toBeGreaterThan(5);
  },
};

export const MetricsAndCost: Story = {
  name: 'Metrics and cost',
  args: { provider: 'anthropic', showMetrics: true, pricing: { inputPerMillion: 3, outputPerMillion: 15 } },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream(shortAnswer, { provider: 'anthropic', delayMs: 10 })));
  },
  async play({ canvasElement }) {
    await ask(canvasElement, 'Cost?');
    await replyDone(canvasElement);
    const metrics = canvasElement.querySelector('.sluice-metrics')!;
    await expect(metrics.textContent).toMatch(/first token \d+ ms · [\d.]+ tokens\/s · \$\d\.\d+/);
  },
};

export const DarkMode: Story = {
  name: 'Dark mode',
  args: { provider: 'openai', className: 'sluice-theme-dark' },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream('Easy on the eyes.', { delayMs: 10 })));
  },
  async play({ canvasElement }) {
    await ask(canvasElement, 'Dark?');
    await replyDone(canvasElement);
    const chat = canvasElement.querySelector('.sluice-chat')!;
    await expect(getComputedStyle(chat).backgroundColor).toBe('rgb(13, 17, 23)');
  },
};

export const FollowsTheStream: Story = {
  name: 'Follows the stream until the reader scrolls up',
  args: { provider: 'openai' },
  beforeEach({ msw }) {
    msw.use(sse('/api/chat', () => mockStream(longAnswer(6_000), { delayMs: 8 })));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'A long one, please');
    const scroller = canvas.getByRole('region', { name: 'Conversation' });
    const distanceFromBottom = () => scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight;
    // While the reader stays at the bottom, the list follows the growing answer.
    await waitFor(() => expect(scroller.scrollHeight).toBeGreaterThan(scroller.clientHeight * 2), { timeout: 8000 });
    await expect(distanceFromBottom()).toBeLessThanOrEqual(32);
    // The reader scrolls up: following stops at once, and stays stopped as text keeps arriving.
    scroller.scrollTop = 0;
    scroller.dispatchEvent(new Event('scroll'));
    const jump = await canvas.findByRole('button', { name: 'Jump to latest' });
    const heightBefore = scroller.scrollHeight;
    await waitFor(() => expect(scroller.scrollHeight).toBeGreaterThan(heightBefore));
    await expect(scroller.scrollTop).toBe(0);
    await userEvent.click(jump);
    await expect(distanceFromBottom()).toBeLessThanOrEqual(32);
    await expect(canvas.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
  },
};
