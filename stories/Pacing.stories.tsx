import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { StreamingMessage, useStream } from '@sluice/react';
import { usePacedText } from '@sluice/react/pacing';
import { longAnswer } from './support/answers.js';
import { answerStream } from './support/answerStream.js';
import { sse } from './support/sse.js';

/** One answer shown twice, side by side: as it arrives, and paced with usePacedText. */
function PacedBesideUnpaced() {
  const answer = useStream({ url: '/api/answer', provider: 'openai', retry: false });
  const streaming = answer.status === 'streaming';
  const unfinished = answer.status === 'aborted' || answer.status === 'error';
  const paced = usePacedText(answer.text, streaming);
  return (
    <div>
      <button type="button" onClick={() => answer.start()}>
        Start
      </button>
      <button type="button" onClick={answer.stop} disabled={!streaming && answer.status !== 'connecting'}>
        Stop
      </button>
      <output data-status={answer.status}>{answer.status}</output>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: '1rem' }}>
        <section aria-label="As it arrives">
          <h2>As it arrives</h2>
          <StreamingMessage content={answer.text} streaming={streaming} unfinished={unfinished} />
        </section>
        <section aria-label="Paced">
          <h2>Paced</h2>
          <StreamingMessage content={paced} streaming={streaming} unfinished={unfinished} />
        </section>
      </div>
    </div>
  );
}

const meta = {
  title: 'Pacing/usePacedText',
  component: PacedBesideUnpaced,
} satisfies Meta<typeof PacedBesideUnpaced>;

export default meta;
type Story = StoryObj<typeof meta>;

/** The text a pane shows (its message's text, with the live region's copy of finished blocks). */
function paneText(canvasElement: HTMLElement, name: string): string {
  return within(canvasElement).getByRole('region', { name }).querySelector('.sluice-message')?.textContent ?? '';
}

/** Calls `record` after each change React makes under `element`; returns the function that stops it. */
function watch(element: HTMLElement, record: () => void): () => void {
  const observer = new MutationObserver(record);
  observer.observe(element, { subtree: true, childList: true, characterData: true });
  return () => observer.disconnect();
}

const status = (canvasElement: HTMLElement) => canvasElement.querySelector('output')!.textContent;

export const PacedVersusUnpaced: Story = {
  name: 'Paced vs unpaced, from a bursty provider',
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', (request) => answerStream(longAnswer(1500), 350, 40, request.signal)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const unpacedLengths = new Set<number>();
    const pacedLengths = new Set<number>();
    let atDone: [string, string] | undefined;
    const stop = watch(canvasElement, () => {
      unpacedLengths.add(paneText(canvasElement, 'As it arrives').length);
      pacedLengths.add(paneText(canvasElement, 'Paced').length);
      // Read in the same batch of changes as the status: what the person sees the moment it ends.
      if (atDone === undefined && status(canvasElement) === 'done')
        atDone = [paneText(canvasElement, 'As it arrives'), paneText(canvasElement, 'Paced')];
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(status(canvasElement)).toBe('done'), { timeout: 60_000 });
    stop();
    // The lumps come as a few big steps; paced, the same text grows in many smaller ones.
    await expect(pacedLengths.size).toBeGreaterThan(unpacedLengths.size * 2);
    // Both end with the whole answer, and the paced one has all of it the moment the stream ends.
    await expect(atDone).toBeDefined();
    await expect(atDone![1]).toBe(atDone![0]);
    await expect(paneText(canvasElement, 'Paced')).toBe(paneText(canvasElement, 'As it arrives'));
    await expect(canvas.getByRole('region', { name: 'Paced' }).textContent).toContain('Section 3');
  },
};

export const StopShowsEverythingAtOnce: Story = {
  name: 'Stop shows all the text received at once',
  beforeEach({ msw }) {
    msw.use(sse('/api/answer', (request) => answerStream(longAnswer(3000), 400, 40, request.signal)));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    const stopButton = canvas.getByRole('button', { name: 'Stop' });
    const pacedAfterStop: number[] = [];
    let stopped = false;
    const stopWatching = watch(canvasElement, () => {
      if (stopped) {
        pacedAfterStop.push(paneText(canvasElement, 'Paced').length);
        return;
      }
      // Stop at a moment the paced view is behind: a lump has just arrived.
      if (paneText(canvasElement, 'Paced').length < paneText(canvasElement, 'As it arrives').length) {
        stopped = true;
        stopButton.click();
      }
    });
    await userEvent.click(canvas.getByRole('button', { name: 'Start' }));
    await waitFor(() => expect(status(canvasElement)).toBe('aborted'), { timeout: 60_000 });
    stopWatching();
    const shown = paneText(canvasElement, 'As it arrives');
    await expect(paneText(canvasElement, 'Paced')).toBe(shown);
    // The paced view went from behind to everything in one step, not over the frames after.
    await expect(pacedAfterStop.length).toBeGreaterThan(0);
    await expect(pacedAfterStop.every((length) => length === shown.length)).toBe(true);
  },
};
