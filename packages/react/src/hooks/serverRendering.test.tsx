// @vitest-environment node
/*
 * Server rendering in a plain Node environment: there is no window or document here, so a hook
 * that touched one would throw.
 */
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { useChat } from './useChat.js';
import { useStream } from './useStream.js';

function Page() {
  const answer = useStream({ url: 'http://api.test/answer' });
  const chat = useChat({
    url: 'http://api.test/chat',
    initialMessages: [
      { id: 'welcome', role: 'assistant', content: 'Hello! Ask me anything.' },
      { id: 'question', role: 'user', content: 'What is SSE?' },
    ],
  });
  return (
    <main>
      <p data-status={answer.status}>{answer.text}</p>
      {chat.messages.map((message) => (
        <article key={message.id}>{message.content}</article>
      ))}
    </main>
  );
}

describe('server rendering', () => {
  it('renders the hooks with renderToString, without browser globals', () => {
    expect(typeof window).toBe('undefined');
    const html = renderToString(<Page />);
    expect(html).toContain('data-status="idle"');
    expect(html).toContain('<article>Hello! Ask me anything.</article><article>What is SSE?</article>');
  });
});
