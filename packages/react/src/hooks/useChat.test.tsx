import { act, render, screen, waitFor } from '@testing-library/react';
import { memo, StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import type { ChatMessage, ChatSession } from '@sluice/stream-client';
import { mockStream, providerEvents, streamBlocks } from '@sluice/stream-client/testing';
import { answer } from '../../test-support/mswServer.js';
import { useChat } from './useChat.js';
import type { UseChatOptions } from './useChat.js';
import { useChatMessage } from './useChatMessage.js';

const url = 'http://api.test/chat';

const history = Array.from({ length: 200 }, (_, index) => ({
  id: `earlier-${index}`,
  role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
  content: `Earlier message ${index}`,
}));

function ChatView({
  options,
  Message,
}: {
  options: UseChatOptions;
  Message: (props: { message: ChatMessage; session: ChatSession }) => React.ReactNode;
}) {
  const chat = useChat(options);
  return (
    <>
      <ul>
        {chat.messages.map((message) => (
          <Message key={message.id} message={message} session={chat.session} />
        ))}
      </ul>
      <button type="button" onClick={() => void chat.send('What next?').catch(() => {})}>
        send
      </button>
      <button type="button" onClick={chat.stop}>
        stop
      </button>
      <button type="button" onClick={() => void chat.regenerate()}>
        regenerate
      </button>
      <output>{chat.status}</output>
      {chat.error && <p role="alert">{chat.error.message}</p>}
    </>
  );
}

const click = (name: string) => act(() => screen.getByRole('button', { name }).click());

describe('useChat', () => {
  it('re-renders only the streaming message, not the 200 earlier ones', async () => {
    answer(url, () => mockStream('A reply that arrives over several frames, token by token.', { delayMs: 8 }));
    const renders = new Map<string, number>();
    const Message = memo(function Message({ message }: { message: ChatMessage }) {
      renders.set(message.id, (renders.get(message.id) ?? 0) + 1);
      return <li>{message.content}</li>;
    });
    render(
      <ChatView options={{ url, provider: 'openai', initialMessages: history, throttle: 10 }} Message={Message} />,
    );
    expect(renders.size).toBe(200);
    renders.clear();
    click('send');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    const earlier = history.filter((message) => renders.has(message.id));
    expect(earlier).toEqual([]);
    const streamed = [...renders.entries()].filter(([id]) => !id.startsWith('earlier-'));
    // The user's new message rendered once; the reply once per published frame, several times.
    expect(streamed).toHaveLength(2);
    expect(Math.max(...streamed.map(([, count]) => count))).toBeGreaterThan(2);
    expect(screen.getByText('A reply that arrives over several frames, token by token.')).toBeTruthy();
  });

  it('re-renders only the streaming message with useChatMessage, by id', async () => {
    answer(url, () => mockStream('Short reply by id.', { delayMs: 8 }));
    const renders = new Map<string, number>();
    const Message = memo(function Message({ message, session }: { message: ChatMessage; session: ChatSession }) {
      const current = useChatMessage(session, message.id);
      renders.set(message.id, (renders.get(message.id) ?? 0) + 1);
      return <li>{current?.content}</li>;
    });
    render(<ChatView options={{ url, initialMessages: history.slice(0, 50), throttle: 10 }} Message={Message} />);
    renders.clear();
    click('send');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    expect([...renders.keys()].filter((id) => id.startsWith('earlier-'))).toEqual([]);
  });

  it('makes exactly one request per send() under StrictMode', async () => {
    const requests = answer(url, () => mockStream('Once.'));
    const Message = ({ message }: { message: ChatMessage }) => <li>{message.content}</li>;
    render(
      <StrictMode>
        <ChatView options={{ url, provider: 'openai' }} Message={Message} />
      </StrictMode>,
    );
    click('send');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.body).toEqual({ messages: [{ role: 'user', content: 'What next?' }] });
  });

  it('keeps the user’s message and the partial reply on error, shows the error, and regenerate retries', async () => {
    const requests = answer(url, (_request, index) =>
      index === 0
        ? streamBlocks(
            [
              ...providerEvents('openai', { text: 'Partly there' }).slice(0, 3),
              'data: {"error":{"message":"Model crashed","type":"server_error"}}\n\n',
            ],
            2,
          )
        : mockStream('Fully there.'),
    );
    const Message = ({ message }: { message: ChatMessage }) => (
      <li data-status={message.status}>
        {message.role}: {message.content}
      </li>
    );
    render(<ChatView options={{ url, system: 'Be kind.', retry: false }} Message={Message} />);
    click('send');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('error'));
    expect(screen.getByRole('alert').textContent).toContain('Model crashed');
    const items = screen.getAllByRole('listitem').map((item) => [item.textContent, item.dataset['status']]);
    expect(items).toEqual([
      ['user: What next?', 'done'],
      ['assistant: Partly there', 'failed'],
    ]);
    click('regenerate');
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'user: What next?',
      'assistant: Fully there.',
    ]);
    expect(requests[1]!.body).toEqual({ system: 'Be kind.', messages: [{ role: 'user', content: 'What next?' }] });
  });

  it('stop keeps the reply so far, marked stopped, and aborts the request', async () => {
    const requests = answer(url, ({ signal }) =>
      mockStream('one two three four five six seven eight', { delayMs: 25, signal }),
    );
    const Message = ({ message }: { message: ChatMessage }) => <li data-status={message.status}>{message.content}</li>;
    render(<ChatView options={{ url, throttle: false }} Message={Message} />);
    click('send');
    await waitFor(() => expect(screen.getAllByRole('listitem')[1]?.textContent).not.toBe(''));
    click('stop');
    const reply = screen.getAllByRole('listitem')[1]!;
    expect(reply.dataset['status']).toBe('stopped');
    expect(reply.textContent!.length).toBeGreaterThan(0);
    expect(screen.getByRole('status').textContent).toBe('aborted');
    expect(requests[0]!.signal.aborted).toBe(true);
  });
});

describe('useChat with resume', () => {
  const Message = ({ message }: { message: ChatMessage }) => (
    <li data-status={message.status}>
      {message.role}: {message.content}
    </li>
  );

  it('follows the chat’s live reply on mount, with exactly one request under StrictMode', async () => {
    const requests = answer(url, () =>
      streamBlocks(providerEvents('sluice', { text: 'The answer, followed.', streamId: 'live-reply', ids: true }), 2),
    );
    render(
      <StrictMode>
        <ChatView
          options={{ url, id: 'chat-7', resume: true, initialMessages: [{ role: 'user', content: 'Asked before' }] }}
          Message={Message}
        />
      </StrictMode>,
    );
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('sluice-resume')).toBe('chat-7');
    expect(requests[0]!.body).toBeUndefined();
    expect(screen.getAllByRole('listitem').map((item) => item.textContent)).toEqual([
      'user: Asked before',
      'assistant: The answer, followed.',
    ]);
  });

  it('shows nothing new when the chat has no live reply', async () => {
    const requests = answer(url, () => new Response(null, { status: 204 }));
    render(<ChatView options={{ url, id: 'chat-8', resume: true }} Message={Message} />);
    await waitFor(() => expect(requests).toHaveLength(1));
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(screen.queryAllByRole('listitem')).toEqual([]);
    expect(screen.getByRole('status').textContent).toBe('idle');
  });

  it('refuses resume without the chat’s id, which it needs to ask for the reply', () => {
    expect(() => render(<ChatView options={{ url, resume: true }} Message={Message} />)).toThrow(/needs the chat’s id/);
  });
});
