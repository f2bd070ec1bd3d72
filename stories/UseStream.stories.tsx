import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { StreamingMessage, useStream } from '@sluice/react';
import { mockStream } from '@sluice/stream-client/testing';
import { shortAnswer } from './support/answers.js';
import { sse } from './support/sse.js';

/** useStream with every state on show, and its Start, Stop and Retry actions. */
function StreamControls() {
  const answer = useStream({ url: '/api/answer', provider: 'anthropic', retry: false });
  return (
    <div>
      <p>
        Status: <output data-status={answer.status}>{answer.status}</output>
      </p>
      <button type="button" onClick={() => answer.start()}>
        Start
      </button>
      <button
        type="button"
        onClick={answer.stop}
        disabled={answer.status !== 'streaming' && answer.status !== 'connecting'}
      >
        Stop
      </button>
      <button type="button" onClick={answer.retry}>
        Retry
      </button>
      {answer.error ? <p role="alert">{answer.error.message}</p> : null}
      <StreamingMessage content={answer.text} streaming={answer.status === 'streaming'} />
    </div>
  );
}

const meta = {
  title: 'Hooks/useStream',
  component: StreamControls,
} satisfies Meta<typeof StreamControls>;

export default meta;
type Story = StoryObj<typeof meta>;

const status = (canvasElement: HTMLElement) => canvasElement.querySelector('output')!.textContent;

export const StatusStopAndRetry: Story = {
  name: 'Status transitions, Stop and Retry',
  beforeEach({ msw }) {
    msw.use(
      sse('/api/answer', (request) =>
        mockStream(shortAnswer, { provider: 'anthropic', delayMs: 40, signal: request.signal }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await expect(status(canvasElement)).toBe('idle');
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(status(canvasElement)).toBe('streaming'));
    await waitFor(() =>
      expect(canvasElement.querySelector('.sluice-message')!.textContent!.length).toBeGreaterThan(20),
    );
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await expect(status(canvasElement)).toBe('aborted');
    const kept = canvasElement.querySelector('.sluice-message')!.textContent!;
    await expect(kept.length).toBeGreaterThan(0);
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(status(canvasElement)).toBe('done'), { timeout: 8000 });
    await expect(canvas.getByRole('heading', { name: 'Server-Sent Events' })).toBeVisible();
  },
};

export const ErrorKeepsText: Story = {
  name: 'Error mid-stream keeps the text',
  beforeEach({ msw }) {
    msw.use(
      sse('/api/answer', (_request, attempt) =>
        attempt === 0
          ? mockStream(shortAnswer, {
              provider: 'anthropic',
              delayMs: 10,
              fault: { kind: 'error-event', afterEvents: 12 },
            })
          : mockStream(shortAnswer, { provider: 'anthropic', delayMs: 5 }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(status(canvasElement)).toBe('error'), { timeout: 8000 });
    await expect(canvas.getByRole('alert').textContent).toContain('Overloaded');
    await expect(canvasElement.querySelector('.sluice-message')!.textContent).toContain('Server-Sent Events');
    await userEvent.click(canvas.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(status(canvasElement)).toBe('done'), { timeout: 8000 });
  },
};
