import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { mockStream, providerEvents, streamBlocks } from '@sluice/stream-client/testing';
import { answer } from '../../test-support/mswServer.js';
import { Chat } from './Chat.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';

const url = 'http://api.test/chat';

/** jsdom has no layout: give the scroller a height, a content height, and a scroll position. */
function fakeLayout(scroller: HTMLElement, sizes: { client: number; content: () => number }) {
  let top = 0;
  Object.defineProperty(scroller, 'clientHeight', { configurable: true, get: () => sizes.client });
  Object.defineProperty(scroller, 'scrollHeight', { configurable: true, get: sizes.content });
  Object.defineProperty(scroller, 'scrollTop', {
    configurable: true,
    get: () => top,
    set: (value: number) => {
      top = Math.max(0, Math.min(value, sizes.content() - sizes.client));
    },
  });
}

/** The chat endpoint: the first reply fails (Overloaded) after `partial`, every later one is "Whole reply." */
function answerFailingOnce(partial: string) {
  answer(url, (_request, index) =>
    index === 0
      ? streamBlocks(
          [
            ...providerEvents('openai', { text: partial }).slice(0, 3),
            'data: {"error":{"message":"Overloaded","type":"server_error"}}\n\n',
          ],
          2,
        )
      : mockStream('Whole reply.'),
  );
}

describe('MessageList', () => {
  it('follows new content while the reader is at the bottom, stops when they scroll up, and jumps back on request', () => {
    let lines = 10;
    function List({ count }: { count: number }) {
      return (
        <MessageList contentKey={count}>
          {Array.from({ length: count }, (_, index) => (
            <p key={index}>line {index}</p>
          ))}
        </MessageList>
      );
    }
    const { rerender } = render(<List count={lines} />);
    const scroller = screen.getByRole('region', { name: 'Conversation' });
    fakeLayout(scroller, { client: 100, content: () => lines * 20 });
    rerender(<List count={++lines} />);
    expect(scroller.scrollTop).toBe(lines * 20 - 100);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();

    // The reader scrolls up to read: following stops at once.
    scroller.scrollTop = 20;
    fireEvent.scroll(scroller);
    rerender(<List count={++lines} />);
    expect(scroller.scrollTop).toBe(20);
    const jump = screen.getByRole('button', { name: 'Jump to latest' });

    act(() => jump.click());
    expect(scroller.scrollTop).toBe(lines * 20 - 100);
    rerender(<List count={++lines} />);
    expect(scroller.scrollTop).toBe(lines * 20 - 100);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();
  });
});

describe('Composer', () => {
  function setup(props: Partial<Parameters<typeof Composer>[0]> = {}) {
    const onSend = vi.fn<(text: string) => void>();
    const onStop = vi.fn<() => void>();
    render(<Composer onSend={onSend} onStop={onStop} {...props} />);
    return { onSend, onStop, box: screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement };
  }

  it('sends on Enter and clears, adds a line on Shift+Enter, and is disabled while empty', () => {
    const { onSend, box } = setup();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(box, { target: { value: 'first line' } });
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
    const shiftEnter = fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(shiftEnter).toBe(true); // not prevented: the browser adds the line
    expect(onSend).not.toHaveBeenCalled();
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).toHaveBeenCalledExactlyOnceWith('first line', []);
    expect(box.value).toBe('');
  });

  it('does not send blank text', () => {
    const { onSend, box } = setup();
    fireEvent.change(box, { target: { value: '   \n ' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
  });

  it('shows Stop instead of Send while a reply streams', () => {
    const { onSend, onStop, box } = setup({ streaming: true });
    fireEvent.change(box, { target: { value: 'queued thought' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('queued thought');
    act(() => screen.getByRole('button', { name: 'Stop' }).click());
    expect(onStop).toHaveBeenCalledOnce();
  });

  it('gives the text back when sending is refused', async () => {
    const onSend = vi.fn<(text: string) => Promise<void>>(() => Promise.reject(new Error('busy')));
    render(<Composer onSend={onSend} />);
    const box = screen.getByRole('textbox') as HTMLTextAreaElement;
    fireEvent.change(box, { target: { value: 'keep me' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(box.value).toBe('keep me'));
  });
});

describe('Chat', () => {
  const type = (text: string) => {
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: text } });
    fireEvent.keyDown(box, { key: 'Enter' });
  };

  it('sends, streams the reply as markdown, and shows metrics and cost', async () => {
    answer(url, () => mockStream('Here is **bold** and `code`.', { provider: 'anthropic', delayMs: 5 }));
    render(<Chat url={url} provider="anthropic" showMetrics pricing={{ inputPerMillion: 3, outputPerMillion: 15 }} />);
    type('Show me markdown');
    await waitFor(() => expect(screen.getByRole('button', { name: 'Stop' })).toBeTruthy());
    await waitFor(() => expect(screen.getByRole('button', { name: 'Send' })).toBeTruthy());
    const reply = screen.getByRole('article', { name: 'Assistant' });
    expect(reply.querySelector('strong')?.textContent).toBe('bold');
    expect(reply.querySelector('code')?.textContent).toBe('code');
    expect(screen.getByRole('article', { name: 'You' }).textContent).toBe('Show me markdown');
    // The metrics line loads with the part views, which Chat starts loading as it mounts.
    await waitFor(() =>
      expect(reply.querySelector('.sluice-metrics')?.textContent).toMatch(
        /first token \d+ ms · [\d.]+ tokens\/s · \$0\.000\d+/,
      ),
    );
  });

  it('on an error mid-stream keeps the partial reply and the question, and Retry replaces the reply', async () => {
    answerFailingOnce('Partial reply');
    render(<Chat url={url} provider="openai" retry={false} />);
    type('Question?');
    const note = await screen.findByRole('alert');
    // One plain sentence, once, attached to the reply it is about; the detail a click away.
    expect(note.firstChild?.textContent).toBe('The model ran into an error while answering.');
    expect(note.querySelector('details')?.textContent).toBe('DetailsThe provider reported an error: Overloaded');
    expect(screen.getAllByRole('alert')).toHaveLength(1);
    expect(screen.getAllByText(/Overloaded/)).toHaveLength(1);
    expect(screen.getByRole('article', { name: 'Assistant' }).contains(note)).toBe(true);
    expect(screen.getByRole('article', { name: 'You' }).textContent).toBe('Question?');
    expect(screen.getByRole('article', { name: 'Assistant' }).textContent).toContain('Partial reply');
    act(() => screen.getByRole('button', { name: 'Retry' }).click());
    await waitFor(() =>
      expect(screen.getByRole('article', { name: 'Assistant' }).textContent).toContain('Whole reply.'),
    );
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getAllByRole('article')).toHaveLength(2);
  });

  it('past 32 messages, keeps them in order, offers Retry under the last reply only, and replaces it there', async () => {
    answerFailingOnce('Cut short');
    const history = Array.from({ length: 31 }, (_, index) => ({
      id: `old-${index}`,
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `Message ${index}`,
    }));
    render(<Chat url={url} provider="openai" retry={false} initialMessages={history} />);
    type('Question 31?');
    await screen.findByRole('alert');
    // The reply is the 33rd message, the first of a second group of 32.
    // Each message's text as shown: a question's, or a reply's first paragraph.
    const texts = () =>
      screen.getAllByRole('article').map((article) => article.querySelector('p, .sluice-user-text')?.textContent);
    expect(texts()).toHaveLength(33);
    expect(texts().slice(0, 32)).toEqual([...history.map((message) => message.content), 'Question 31?']);
    expect(screen.getAllByRole('button', { name: 'Retry' })).toHaveLength(1);
    expect(
      screen
        .getAllByRole('article')
        .at(-1)!
        .contains(screen.getByRole('button', { name: 'Retry' })),
    ).toBe(true);
    act(() => screen.getByRole('button', { name: 'Retry' }).click());
    await waitFor(() => expect(texts().at(-1)).toContain('Whole reply.'));
    expect(texts()).toHaveLength(33);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
  });

  it('offers Retry only when trying again can help, and says why in words, not markup', async () => {
    answer(
      url,
      () =>
        new Response(
          '<!DOCTYPE html><html><head><title>413 Payload Too Large</title></head><body>PayloadTooLargeError at /srv/app/node_modules/raw-body</body></html>',
          { status: 413, headers: { 'content-type': 'text/html' } },
        ),
    );
    render(<Chat url={url} describeError={(error) => `Nicht gesendet (${error.status}).`} />);
    type('A very long question');
    const note = await screen.findByRole('alert');
    expect(note.firstChild?.textContent).toBe('Nicht gesendet (413).');
    expect(note.textContent).not.toMatch(/<|node_modules/);
    expect(screen.queryByRole('button', { name: 'Retry' })).toBeNull();
    expect(screen.getByRole('article', { name: 'You' }).textContent).toBe('A very long question');
  });

  it('offers in its file picker the types the chat takes: its own limits, or images, PDFs, text and JSON', () => {
    const picker = (container: HTMLElement) => container.querySelector('input[type="file"]')?.getAttribute('accept');
    const byDefault = render(<Chat url={url} />);
    expect(picker(byDefault.container)).toBe(
      'image/*,application/pdf,text/plain,text/markdown,text/csv,text/html,.txt,.md,.markdown,.csv,.log,application/json',
    );
    byDefault.unmount();
    // Limits that name no types keep the default ones; limits that do are offered as given.
    const sizeOnly = render(<Chat url={url} attachments={{ maxFileBytes: 1_000_000 }} />);
    expect(picker(sizeOnly.container)).toContain('application/pdf');
    sizeOnly.unmount();
    const images = render(<Chat url={url} attachments={{ accept: ['image/png', 'image/jpeg'] }} />);
    expect(picker(images.container)).toBe('image/png,image/jpeg');
    images.unmount();
    expect(
      render(<Chat url={url} allowAttachments={false} />).container.querySelector('input[type="file"]'),
    ).toBeNull();
  });

  it('takes a className and renders without the stylesheet', () => {
    function Page() {
      const [theme] = useState('sluice-theme-dark');
      return <Chat url={url} className={theme} />;
    }
    const { container } = render(<Page />);
    expect(container.querySelector('section.sluice-chat.sluice-theme-dark')).not.toBeNull();
  });
});
