/*
 * The README's client examples, run as they are written (examples/react holds them, and the README
 * must show them exactly): each against MSW answering as createChatHandler does, in the sluice
 * protocol with numbered events.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { StrictMode } from 'react';
import { describe, expect, it } from 'vitest';
import { mockResponse, partsStream } from '@sluice/stream-client/testing';
import { http, HttpResponse } from 'msw';
import { Answer } from '../../../examples/react/Answer.js';
import { Concierge } from '../../../examples/react/Concierge.js';
import { Conversation } from '../../../examples/react/Conversation.js';
import { Explain } from '../../../examples/react/Explain.js';
import { PacedAnswer } from '../../../examples/react/PacedAnswer.js';
import { PacedChat } from '../../../examples/react/PacedChat.js';
import { RichChat } from '../../../examples/react/RichChat.js';

import { Formulas } from '../../../examples/react/Formulas.js';
import Page from '../../../examples/react/Page.js';
import { SavedConversation } from '../../../examples/react/SavedConversation.js';
import { Summary } from '../../../examples/react/Summary.js';
import { answer, server } from '../test-support/mswServer.js';
import type { SeenRequest } from '../test-support/mswServer.js';

// Node's own paths: under jsdom, URL is jsdom's, which Node's fileURLToPath does not take.
const examples = join(import.meta.dirname, '../../../examples/react/');
const reply = 'Server-Sent Events stream **text** over one HTTP response.';

/** The chat endpoint as the chat handler answers it: a stop gets 204, anything else the reply. */
function chatEndpoint(options: { delayMs?: number; text?: string } = {}): SeenRequest[] {
  return answer('/api/chat', (request) => {
    if (request.headers.has('sluice-stop')) return new Response(null, { status: 204 });
    if (request.headers.has('sluice-resume')) return new Response(null, { status: 204 });
    return mockResponse(options.text ?? reply, {
      provider: 'sluice',
      ids: true,
      streamId: `reply-${crypto.randomUUID()}`,
      delayMs: options.delayMs ?? 0,
      signal: request.signal,
    });
  });
}

describe('the README’s client examples', () => {
  it.each([
    'Page.tsx',
    'Answer.tsx',
    'Conversation.tsx',
    'SavedConversation.tsx',
    'Summary.tsx',
    'Explain.tsx',
    'Concierge.tsx',
    'PacedAnswer.tsx',
    'PacedChat.tsx',
    'RichChat.tsx',

    'Formulas.tsx',
  ])('shows examples/react/%s exactly as tested', async (file) => {
    const [readme, example] = await Promise.all([
      readFile(join(import.meta.dirname, '../README.md'), 'utf8'),
      readFile(`${examples}${file}`, 'utf8'),
    ]);
    expect(readme).toContain(example.trim());
  });

  it('Page: the headline <Chat> answers, with the system prompt sent', async () => {
    const requests = chatEndpoint();
    render(<Page />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'What is SSE?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('text', { selector: 'strong' });
    expect(requests[0]!.body).toEqual({
      system: 'You are concise.',
      messages: [{ role: 'user', content: 'What is SSE?' }],
    });
  });

  it('Answer: streams the answer on Ask', async () => {
    chatEndpoint();
    render(<Answer question="What is SSE?" />);
    fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
    // useStream's text is the raw answer; this example prints it as it is.
    expect(await screen.findByText(reply)).toBeTruthy();
  });

  it('Conversation: Stop stops the reply and sends nothing more, and an empty box sends nothing', async () => {
    const requests = chatEndpoint({ delayMs: 30, text: reply.repeat(10) });
    render(<Conversation />);
    const box = screen.getByRole('textbox') as HTMLInputElement;
    fireEvent.change(box, { target: { value: 'Tell me about SSE' } });
    fireEvent.submit(box.form!);
    expect(box.value).toBe('');
    const stop = await screen.findByRole('button', { name: 'Stop' });
    await waitFor(() => expect(document.querySelector('article[data-status="streaming"]')?.textContent).not.toBe(''));
    // A click is a pointer press and release on the same element: Stop must stay Stop throughout.
    fireEvent.click(stop);
    await screen.findByRole('button', { name: 'Send' });
    await waitFor(() => expect(document.querySelector('article[data-status="stopped"]')).not.toBeNull());
    await act(() => new Promise((resolve) => setTimeout(resolve, 100)));
    const sent = requests.filter((request) => !request.headers.has('sluice-stop'));
    expect(sent).toHaveLength(1);
    // Submitting an empty box sends nothing, and throws nothing.
    fireEvent.submit(box.form!);
    await act(() => new Promise((resolve) => setTimeout(resolve, 20)));
    expect(requests.filter((request) => !request.headers.has('sluice-stop'))).toHaveLength(1);
  });

  it('SavedConversation: asks once on mount, under StrictMode, for the chat’s live reply', async () => {
    const requests = chatEndpoint();
    render(
      <StrictMode>
        <SavedConversation chatId="chat-1" saved={[{ role: 'user', content: 'Hello' }]} />
      </StrictMode>,
    );
    await waitFor(() => expect(requests).toHaveLength(1));
    await act(() => new Promise((resolve) => setTimeout(resolve, 50)));
    expect(requests).toHaveLength(1);
    expect(requests[0]!.headers.get('sluice-resume')).toBe('chat-1');
    expect(screen.getByRole('listitem').textContent).toBe('Hello');
  });

  it('Summary: streams into the query cache', async () => {
    chatEndpoint({ text: 'A short summary.' });
    const client = new QueryClient();
    render(
      <QueryClientProvider client={client}>
        <Summary id="42" />
      </QueryClientProvider>,
    );
    expect(await screen.findByText('A short summary.')).toBeTruthy();
  });

  it('Explain: renders the streamed markdown', async () => {
    chatEndpoint();
    render(<Explain />);
    fireEvent.click(screen.getByRole('button', { name: 'Explain' }));
    expect(await screen.findByText('text', { selector: 'strong' })).toBeTruthy();
  });

  it('PacedAnswer: the answer streams paced and ends whole', async () => {
    chatEndpoint({ delayMs: 5 });
    render(<PacedAnswer question="What is SSE?" />);
    fireEvent.click(screen.getByRole('button', { name: 'Ask' }));
    await screen.findByText('text', { selector: 'strong' });
    // Whole once the stream ends (busy is also off before it starts, so that alone proves nothing).
    await waitFor(() =>
      expect(document.querySelector('.sluice-message p')?.textContent).toBe(
        'Server-Sent Events stream text over one HTTP response.',
      ),
    );
    expect(document.querySelector('.sluice-message[aria-busy]')).toBeNull();
  });

  it('PacedChat: the reply streams paced into Chat and ends whole', async () => {
    const requests = chatEndpoint({ delayMs: 5 });
    render(<PacedChat />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'What is SSE?' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await screen.findByText('text', { selector: 'strong' });
    await screen.findByRole('button', { name: 'Send' });
    expect(document.querySelector('.sluice-chat-message-assistant .sluice-message p')?.textContent).toBe(
      'Server-Sent Events stream text over one HTTP response.',
    );
    expect(requests[0]!.body).toEqual({ messages: [{ role: 'user', content: 'What is SSE?' }] });
  });

  it('RichChat: a reply with a formula and a code block renders the formula with KaTeX and highlights the code', async () => {
    chatEndpoint({ text: 'The mean $\\bar{x}$ in code:\n\n```ts\nconst mean = sum / count;\n```\n' });
    const { container } = render(<RichChat />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'Explain the mean.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    await waitFor(() => expect(container.querySelector('.katex annotation')?.textContent).toBe('\\bar{x}'));
    // Highlighted: the code's text in coloured spans, and the same text as written.
    await waitFor(() => expect(container.querySelector('pre code span[style*="color"]')).not.toBeNull(), {
      timeout: 30_000,
    });
    expect(container.querySelector('pre code')?.textContent).toBe('const mean = sum / count;');
  });

  it('Formulas: renders a streamed formula with KaTeX and keeps a price text', async () => {
    chatEndpoint({ text: 'The variance $s^2$ costs $5 to compute.' });
    const { container } = render(<Formulas />);
    fireEvent.click(screen.getByRole('button', { name: 'Derive' }));
    await waitFor(() => expect(container.querySelector('.katex annotation')?.textContent).toBe('s^2'));
    expect(container.querySelector('p')?.textContent).toMatch(/costs \$5 to compute\.$/);
  });

  it('Concierge: the tool-using chat books a table once the person approves, and the model reads the booking', async () => {
    const bookings: unknown[] = [];
    server.use(
      http.post('/api/bookings', async ({ request }) => {
        bookings.push(await request.json());
        return HttpResponse.json({ confirmation: 'B-7', time: '20:00' });
      }),
    );
    const argumentsText = '{"restaurant":"Chez Nous","people":4}';
    const requests = answer('/api/chat', (_request, index) =>
      index === 0
        ? partsStream([
            { type: 'text-delta', text: 'I can book that.' },
            { type: 'tool-call-start', id: 'call_1', name: 'bookTable' },
            { type: 'tool-call-delta', id: 'call_1', argumentsDelta: argumentsText },
            {
              type: 'tool-call',
              toolCall: {
                id: 'call_1',
                name: 'bookTable',
                arguments: JSON.parse(argumentsText) as unknown,
                argumentsText,
                choice: 0,
              },
            },
            { type: 'finish', finishReason: 'tool-calls' },
          ])
        : partsStream([{ type: 'text-delta', text: 'Booked for 20:00, confirmation B-7.' }]),
    );
    render(<Concierge />);
    fireEvent.change(screen.getByRole('textbox'), { target: { value: 'A table for four at Chez Nous, please.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Send' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Approve' }));
    // Shown once, and announced once to screen readers.
    expect(await screen.findAllByText('Booked for 20:00, confirmation B-7.')).toHaveLength(2);
    expect(bookings).toEqual([{ restaurant: 'Chez Nous', people: 4 }]);
    // The tool was described to the server, and its result went back with the next request.
    expect(JSON.stringify(requests[0]!.body)).toContain('Book a table at a restaurant.');
    expect(JSON.stringify(requests[1]!.body)).toContain('"output":{"confirmation":"B-7","time":"20:00"}');
  });
});
