import type { Meta, StoryObj } from '@storybook/react-vite';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { Chat, StreamingMessage, useStream } from '@sluice/react';
import type { StreamPart } from '@sluice/stream-client';
import { partsStream } from '@sluice/stream-client/testing';
import { longAnswer } from './support/answers.js';
import { sse } from './support/sse.js';
import { inStoryFrame } from './support/inStoryFrame.js';

/**
 * What a person notices first: a stopped or failed reply keeps its shape, a trackpad lets go of the
 * stream at once, a failure is said once and plainly, the chat fits a plain page, tables read on a
 * phone, and every word can be translated, right to left too.
 */
const meta = {
  title: 'Chat/What a person sees',
  component: Chat,
  args: { url: '/api/seen', retry: false },
  decorators: [inStoryFrame],
} satisfies Meta<typeof Chat>;

export default meta;
type Story = StoryObj<typeof meta>;

/** Text as text deltas, in the pieces given. */
function pieces(...texts: string[]): StreamPart[] {
  return texts.map((text) => ({ type: 'text-delta', text }));
}

async function ask(canvasElement: HTMLElement, question = 'Tell me.') {
  const canvas = within(canvasElement);
  await userEvent.type(canvas.getByRole('textbox', { name: 'Message' }), `${question}{Enter}`);
  return canvas;
}

/** What a person sees of an element: without what is only for screen readers, and without the caret. */
function shown(element: Element): HTMLElement {
  const copy = element.cloneNode(true) as HTMLElement;
  for (const hidden of copy.querySelectorAll('.sluice-visually-hidden, .sluice-caret')) hidden.remove();
  return copy;
}

function shownText(element: Element): string {
  return shown(element).textContent ?? '';
}

export const StoppedKeepsItsShape: Story = {
  name: 'A stopped reply keeps the shape it had while streaming',
  beforeEach({ msw }) {
    msw.use(
      sse('/api/seen', (request) =>
        request.headers.has('sluice-stop')
          ? new Response(null, { status: 204 })
          : partsStream(pieces('Here is a ', '**sh', 'ort**', ' and a [WHATWG spec](https://html.spec'), {
              delayMs: 60,
              ending: 'stall',
            }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement);
    const reply = await canvas.findByRole('article', { name: 'Assistant' }, { timeout: 5000 });
    await waitFor(() => expect(shownText(reply)).toContain('WHATWG spec'), { timeout: 5000 });
    const whileStreaming = shown(reply.querySelector('.sluice-message')!).innerHTML;
    await userEvent.click(canvas.getByRole('button', { name: 'Stop' }));
    await waitFor(() => expect(reply.dataset['status']).toBe('stopped'));
    // The same elements as a moment ago: bold, and the link's text, never their raw markers.
    await expect(reply.querySelector('strong')?.textContent).toBe('short');
    await expect(shownText(reply)).not.toMatch(/\*\*|\]\(/);
    await expect(shown(reply.querySelector('.sluice-message')!).innerHTML).toBe(whileStreaming);
    await expect(canvas.getByText('Stopped')).toBeVisible();
  },
};

export const FailedKeepsItsShape: Story = {
  name: 'A failed reply keeps its shape, and says why once',
  beforeEach({ msw }) {
    msw.use(
      sse('/api/seen', () =>
        partsStream(
          [
            ...pieces('Read the ', '[WHATWG spec](http', 's://html'),
            // What the chat handler sends when its provider's connection drops mid-answer.
            { type: 'error', message: 'The connection to the provider was lost.', kind: 'network', retryable: true },
          ],
          { delayMs: 30 },
        ),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement);
    const reply = await canvas.findByRole('article', { name: 'Assistant' }, { timeout: 5000 });
    await waitFor(() => expect(reply.dataset['status']).toBe('failed'), { timeout: 5000 });
    await expect(shownText(reply)).not.toContain('](');
    await expect(shownText(reply.querySelector('.sluice-message')!)).toBe('Read the WHATWG spec');
    // One sentence, once: no banner repeating it.
    await expect(canvas.getAllByRole('alert')).toHaveLength(1);
  },
};

export const PlainErrorForAnHtmlPage: Story = {
  name: 'A server’s HTML error page: one plain sentence, no markup, no Retry that cannot help',
  beforeEach({ msw }) {
    msw.use(
      sse(
        '/api/seen',
        () =>
          new Response(
            '<!DOCTYPE html><html><head><title>413 Request Entity Too Large</title></head><body><h1>Too large</h1><pre>at readBody (/srv/app/node_modules/raw-body/index.js:231:16)</pre></body></html>',
            { status: 413, headers: { 'content-type': 'text/html' } },
          ),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'A very long message');
    const alert = await canvas.findByRole('alert', undefined, { timeout: 5000 });
    await expect(alert.querySelector('span')!.textContent).toBe('The conversation is too long to send.');
    await expect(canvasElement.textContent).not.toMatch(/DOCTYPE|<html|node_modules|readBody/);
    await expect(within(alert).queryByRole('button', { name: 'Retry' })).toBeNull();
    // The technical detail is there on demand, and says only what is safe to say.
    await expect(within(alert).getByText('Details')).toBeVisible();
    await expect(alert.querySelector('code')!.textContent).toMatch(
      /^HTTP 413( Payload Too Large)?: an HTML page titled "413 Request Entity Too Large"$/,
    );
  },
};

export const TrackpadLetsGo: Story = {
  name: 'Small trackpad steps up let go of the stream at once',
  beforeEach({ msw }) {
    const text = longAnswer(12_000);
    const chunks = text.match(/[\s\S]{1,40}/g) ?? [];
    msw.use(sse('/api/seen', () => partsStream(pieces(...chunks), { delayMs: 15 })));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement);
    const scroller = canvas.getByRole('region', { name: 'Conversation' });
    await waitFor(() => expect(scroller.scrollHeight).toBeGreaterThan(scroller.clientHeight + 400), {
      timeout: 10_000,
    });
    // Sixty steps of 5 px, as a trackpad sends them, each between tokens.
    for (let step = 0; step < 60; step++) {
      scroller.dispatchEvent(new WheelEvent('wheel', { deltaY: -5, bubbles: true, cancelable: true }));
      scroller.scrollTop -= 5;
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
    const reading = scroller.scrollTop;
    await expect(scroller.scrollHeight - scroller.clientHeight - reading).toBeGreaterThan(100);
    await expect(canvas.getByRole('button', { name: 'Jump to latest' })).toBeVisible();
    // The view stays where the reader is while the answer grows below.
    const grownFrom = scroller.scrollHeight;
    await waitFor(() => expect(scroller.scrollHeight).toBeGreaterThan(grownFrom + 200), { timeout: 10_000 });
    await expect(scroller.scrollTop).toBe(reading);
    await userEvent.click(canvas.getByRole('button', { name: 'Jump to latest' }));
    await expect(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop).toBeLessThanOrEqual(1);
  },
};

export const PlainPage: Story = {
  name: 'Dropped into a page that gives it no height',
  decorators: [
    (Story) => (
      <div className="story-plain-page">
        <h1>Support</h1>
        <Story />
      </div>
    ),
  ],
  beforeEach({ msw }) {
    const text = longAnswer(8_000);
    msw.use(sse('/api/seen', () => partsStream(pieces(...(text.match(/[\s\S]{1,80}/g) ?? [])), { delayMs: 2 })));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement);
    await waitFor(() => expect(canvas.getByRole('article', { name: 'Assistant' }).dataset['status']).toBe('done'), {
      timeout: 10_000,
    });
    // Never taller than the screen: the conversation scrolls inside it, the message box stays in view.
    const chat = canvasElement.querySelector<HTMLElement>('.sluice-chat')!;
    await expect(chat.getBoundingClientRect().height).toBeLessThanOrEqual(window.innerHeight);
    const box = canvas.getByRole('textbox', { name: 'Message' }).getBoundingClientRect();
    await expect(box.bottom).toBeLessThanOrEqual(window.innerHeight + chat.getBoundingClientRect().top);
    const scroller = canvas.getByRole('region', { name: 'Conversation' });
    await expect(scroller.scrollHeight).toBeGreaterThan(scroller.clientHeight);
    // And it followed the stream to its end.
    await expect(scroller.scrollHeight - scroller.clientHeight - scroller.scrollTop).toBeLessThanOrEqual(1);
    // The hidden live region sits where the reply ends, thousands of pixels down the conversation: it must be
    // positioned inside the scroller, which clips it, or it stretches the page below the chat with a blank gap.
    const regions = [...canvasElement.querySelectorAll<HTMLElement>('[aria-live="polite"]')];
    await expect(regions.length).toBeGreaterThan(0);
    for (const region of regions) await expect(scroller.contains(region.offsetParent)).toBe(true);
  },
};

const wideTable = `| Transport | Framing | Resumes with | Proxies |
|---|---|---|---|
| Server-Sent Events | text/event-stream | Last-Event-ID | pass through when told not to buffer |
| WebSocket | frames | nothing built in | need an upgrade |

\`\`\`ts
const aVeryLongLineOfCodeThatCannotWrap = streamText({ url: '/api/chat', body: { messages }, provider: 'auto' });
\`\`\``;

export const PhoneWidth: Story = {
  name: 'On a 320 px phone: tables and code scroll in their own box, words stay whole',
  decorators: [
    (Story) => (
      <div className="story-frame" style={{ width: 320 }}>
        <Story />
      </div>
    ),
  ],
  beforeEach({ msw }) {
    msw.use(sse('/api/seen', () => partsStream(pieces(wideTable))));
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement, 'Compare them');
    await waitFor(() => expect(canvasElement.querySelector('.sluice-table')).not.toBeNull(), { timeout: 5000 });
    const scroller = canvas.getByRole('region', { name: 'Conversation' });
    // Nothing makes the conversation itself scroll sideways.
    await expect(scroller.scrollWidth).toBeLessThanOrEqual(scroller.clientWidth);
    const table = canvasElement.querySelector<HTMLElement>('.sluice-table')!;
    await expect(table.scrollWidth).toBeGreaterThan(table.clientWidth);
    const code = canvasElement.querySelector<HTMLElement>('.sluice-code pre')!;
    await expect(code.scrollWidth).toBeGreaterThan(code.clientWidth);
    // Each word of each header on one line, never "Transp/ort".
    for (const header of canvasElement.querySelectorAll('th')) {
      const text = header.firstChild!;
      for (const word of (text.textContent ?? '').matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(text, word.index);
        range.setEnd(text, word.index + word[0].length);
        const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
        await expect(`${word[0]}: ${lines.size} line(s)`).toBe(`${word[0]}: 1 line(s)`);
      }
    }
  },
};

export const TranslatedRightToLeft: Story = {
  name: 'Every word translated, right to left',
  args: {
    labels: {
      send: 'إرسال',
      stop: 'إيقاف',
      message: 'رسالة',
      placeholder: 'اكتب رسالة',
      conversation: 'المحادثة',
      you: 'أنت',
      assistant: 'المساعد',
      jumpToLatest: 'إلى الأحدث',
      attach: 'إرفاق',
    },
  },
  decorators: [
    (Story) => (
      <div className="story-frame" dir="rtl" lang="ar">
        <Story />
      </div>
    ),
  ],
  beforeEach({ msw }) {
    msw.use(sse('/api/seen', () => partsStream(pieces('مرحبا! ', 'كيف ', 'يمكنني ', 'مساعدتك؟'), { delayMs: 10 })));
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await expect(canvas.getByRole('button', { name: 'إرسال' })).toBeVisible();
    await expect(canvas.getByRole('button', { name: 'إرفاق' })).toBeVisible();
    await userEvent.type(canvas.getByRole('textbox', { name: 'رسالة' }), 'مرحبا{Enter}');
    const reply = await canvas.findByRole('article', { name: 'المساعد' }, { timeout: 5000 });
    await waitFor(() => expect(reply.dataset['status']).toBe('done'), { timeout: 5000 });
    // The person's own message sits at the line's end, which right to left is the left.
    const mine = canvas.getByRole('article', { name: 'أنت' }).getBoundingClientRect();
    const region = canvas.getByRole('region', { name: 'المحادثة' }).getBoundingClientRect();
    await expect(mine.left - region.left).toBeLessThan(region.right - mine.right);
    await expect(canvasElement.textContent).not.toMatch(/Send|Stop|Message|Conversation|Attach/);
  },
};

/** The README's useStream pattern, stopped mid-answer. */
function StoppableAnswer() {
  const answer = useStream({ url: '/api/seen' });
  return (
    <div>
      <button type="button" onClick={() => answer.start({ question: 'Explain' })}>
        Explain
      </button>
      <button type="button" onClick={answer.stop}>
        Stop it
      </button>
      <StreamingMessage
        content={answer.text}
        streaming={answer.status === 'streaming'}
        unfinished={answer.status === 'aborted' || answer.status === 'error'}
      />
    </div>
  );
}

export const UseStreamPatternStopped: StoryObj<typeof StoppableAnswer> = {
  name: 'The README’s useStream pattern, stopped: the same shape',
  render: () => <StoppableAnswer />,
  beforeEach({ msw }) {
    msw.use(
      sse('/api/seen', (request) =>
        request.headers.has('sluice-stop')
          ? new Response(null, { status: 204 })
          : partsStream(pieces('A ', '*quick', ' note'), { delayMs: 40, ending: 'stall' }),
      ),
    );
  },
  async play({ canvasElement }) {
    const canvas = within(canvasElement);
    await userEvent.click(canvas.getByRole('button', { name: 'Explain' }));
    await waitFor(() => expect(canvasElement.querySelector('em')?.textContent).toBe('quick note'), { timeout: 15_000 });
    await userEvent.click(canvas.getByRole('button', { name: 'Stop it' }));
    await waitFor(() => expect(canvasElement.querySelector('.sluice-caret')).toBeNull());
    // Once stopped, and once the stopped result has come back: on a loaded CI run the check right
    // after the caret went found no emphasis once (not reproduced in 11 runs on a quiet machine).
    await waitFor(() => expect(canvasElement.querySelector('em')?.textContent).toBe('quick note'));
    await expect(canvasElement.querySelector('.sluice-message')!.textContent).not.toContain('*');
  },
};

/**
 * A tab put in the background, as far as a page can tell: `document.hidden`, and animation
 * frames that wait until it is shown again (browsers run none for a hidden tab).
 */
function hideTab() {
  const waiting = new Map<number, FrameRequestCallback>();
  let next = 0;
  let framesAsked = 0;
  const requestFrame = window.requestAnimationFrame;
  const cancelFrame = window.cancelAnimationFrame;
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => true });
  Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
  window.requestAnimationFrame = (callback) => {
    framesAsked++;
    waiting.set(++next, callback);
    return next;
  };
  window.cancelAnimationFrame = (handle) => void waiting.delete(handle);
  document.dispatchEvent(new Event('visibilitychange'));
  const restore = () => {
    window.requestAnimationFrame = requestFrame;
    window.cancelAnimationFrame = cancelFrame;
    Reflect.deleteProperty(document, 'hidden');
    Reflect.deleteProperty(document, 'visibilityState');
  };
  return {
    get framesAsked() {
      return framesAsked;
    },
    /** The tab comes back: the frames asked for while it was hidden run, as the browser's next one. */
    show() {
      restore();
      document.dispatchEvent(new Event('visibilitychange'));
      const now = performance.now();
      for (const callback of waiting.values()) callback(now);
      waiting.clear();
    },
    restore,
  };
}

let backgroundTab: ReturnType<typeof hideTab> | undefined;
let backgroundRequests = 0;
let backgroundFinishedAt: number | undefined;
const backgroundAnswer = longAnswer(8_000);

export const HiddenTab: Story = {
  name: 'A hidden tab reads the stream at network speed and shows the whole answer on return',
  args: {
    onFinish: () => {
      backgroundFinishedAt = performance.now();
    },
  },
  beforeEach({ msw }) {
    backgroundRequests = 0;
    backgroundFinishedAt = undefined;
    const chunks = backgroundAnswer.match(/[\s\S]{1,16}/g) ?? [];
    msw.use(
      sse('/api/seen', () => {
        backgroundRequests++;
        return partsStream(pieces(...chunks), { delayMs: 2 });
      }),
    );
    return () => backgroundTab?.restore();
  },
  async play({ canvasElement }) {
    const canvas = await ask(canvasElement);
    const reply = await canvas.findByRole('article', { name: 'Assistant' }, { timeout: 5000 });
    backgroundTab = hideTab();
    const hiddenAt = performance.now();
    // The whole reply is read while no frame runs: reading never waits for the page to paint.
    await waitFor(() => expect(backgroundFinishedAt).toBeDefined(), { timeout: 15_000 });
    // One frame asked for and still waiting, not one per token.
    await expect(backgroundTab.framesAsked).toBeLessThanOrEqual(1);
    await expect(backgroundFinishedAt! - hiddenAt).toBeGreaterThan(0);
    backgroundTab.show();
    await waitFor(() => expect(reply.dataset['status']).toBe('done'));
    // Complete and correct: every section, down to the last one's code.
    const sections = backgroundAnswer.match(/^### .*$/gm)!;
    const headings = [...reply.querySelectorAll('h3')].map((heading) => heading.textContent);
    await expect(headings).toEqual(sections.map((heading) => heading.slice(4)));
    await expect(reply.querySelectorAll('pre')).toHaveLength(sections.length);
    await expect(backgroundRequests).toBe(1);
  },
};
