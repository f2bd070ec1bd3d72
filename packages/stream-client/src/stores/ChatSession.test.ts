import { describe, expect, it, vi } from 'vitest';
import { mockResponse } from '../testing/mockResponse.js';
import { streamBlocks } from '../testing/streamBlocks.js';
import { providerEvents } from '../testing/providerEvents.js';
import { ChatBusyError } from './ChatBusyError.js';
import { ChatSession } from './ChatSession.js';
import type { ChatSessionOptions } from './ChatSession.js';

/** A fetch double that records request bodies and answers with the given responses in turn. */
function fetchAnswering(...answers: Array<() => Response>) {
  const bodies: unknown[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
    bodies.push(JSON.parse(String(init?.body)));
    return answers[Math.min(bodies.length - 1, answers.length - 1)]!();
  });
  return { fetch, bodies };
}

const session = (options: Partial<ChatSessionOptions> & Pick<ChatSessionOptions, 'fetch'>) =>
  new ChatSession({ url: 'http://chat.test/', provider: 'openai', throttle: false, ...options });

describe('ChatSession', () => {
  it('sends the whole history with the system prompt in OpenAI’s shape, and appends the streamed reply', async () => {
    const { fetch, bodies } = fetchAnswering(
      () => mockResponse('First answer.'),
      () => mockResponse('Second answer.'),
    );
    const chat = session({ fetch, system: 'Be brief.', body: { model: 'gpt-4o' } });
    await chat.send('Hello?');
    await chat.send('And then?');
    expect(chat.getSnapshot().messages.map(({ role, content, status }) => ({ role, content, status }))).toEqual([
      { role: 'user', content: 'Hello?', status: 'done' },
      { role: 'assistant', content: 'First answer.', status: 'done' },
      { role: 'user', content: 'And then?', status: 'done' },
      { role: 'assistant', content: 'Second answer.', status: 'done' },
    ]);
    expect(bodies[1]).toEqual({
      model: 'gpt-4o',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hello?' },
        { role: 'assistant', content: 'First answer.' },
        { role: 'user', content: 'And then?' },
      ],
    });
    expect(chat.getSnapshot().messages[3]).toMatchObject({
      metadata: { usage: { outputTokens: 2 }, finishReason: 'stop', steps: 1 },
    });
  });

  it('puts the system prompt where Anthropic and the Responses API expect it', async () => {
    const anthropic = fetchAnswering(() => mockResponse('ok', { provider: 'anthropic' }));
    await session({ fetch: anthropic.fetch, provider: 'anthropic', system: 'S' }).send('Q');
    expect(anthropic.bodies[0]).toEqual({ system: 'S', messages: [{ role: 'user', content: 'Q' }] });
    const responses = fetchAnswering(() => mockResponse('ok', { provider: 'openai-responses' }));
    await session({ fetch: responses.fetch, provider: 'openai-responses', system: 'S' }).send('Q');
    expect(responses.bodies[0]).toEqual({ instructions: 'S', input: [{ role: 'user', content: 'Q' }] });
  });

  it('builds the body with prepareBody when given', async () => {
    const { fetch, bodies } = fetchAnswering(() => mockResponse('ok'));
    await session({ fetch, prepareBody: ({ messages }) => ({ prompt: messages.at(-1)?.content }) }).send('Q');
    expect(bodies[0]).toEqual({ prompt: 'Q' });
  });

  it('refuses a send while a reply streams, leaving the conversation as it was', async () => {
    const { fetch } = fetchAnswering(() => mockResponse('slow answer here', { delayMs: 5 }));
    const chat = session({ fetch });
    const first = chat.send('one');
    await expect(chat.send('two')).rejects.toBeInstanceOf(ChatBusyError);
    expect(chat.getSnapshot().messages.map((message) => message.content)).toEqual(['one', '']);
    await first;
    expect(chat.getSnapshot().messages).toHaveLength(2);
  });

  it('keeps the user’s message and the partial reply, marked failed, when the stream fails', async () => {
    const blocks = providerEvents('openai', { text: 'Half of it' }).slice(0, 3);
    blocks.push('data: {"error":{"message":"Server exploded","type":"server_error"}}\n\n');
    const { fetch } = fetchAnswering(
      () => new Response(streamBlocks(blocks, 0), { headers: { 'content-type': 'text/event-stream' } }),
    );
    const onError = vi.fn<NonNullable<ChatSessionOptions['onError']>>();
    const chat = session({ fetch, onError });
    await chat.send('Question');
    const { messages, status, error } = chat.getSnapshot();
    expect(status).toBe('error');
    expect(error?.kind).toBe('provider');
    expect(messages[0]).toMatchObject({ role: 'user', content: 'Question', status: 'done' });
    expect(messages[1]).toMatchObject({
      role: 'assistant',
      content: 'Half of',
      status: 'failed',
      error: { kind: 'provider' },
    });
    expect(onError).toHaveBeenCalledOnce();
  });

  it('leaves a failed reply out of the next request, and regenerate replaces it', async () => {
    const failing = () => new Response('down', { status: 500 });
    const { fetch, bodies } = fetchAnswering(failing, () => mockResponse('Recovered.'));
    const chat = session({ fetch, retry: false });
    await chat.send('Q');
    expect(chat.getSnapshot().messages.map((message) => message.status)).toEqual(['done', 'failed']);
    await chat.regenerate();
    expect(chat.getSnapshot().messages.map((message) => [message.role, message.content, message.status])).toEqual([
      ['user', 'Q', 'done'],
      ['assistant', 'Recovered.', 'done'],
    ]);
    expect(bodies[1]).toEqual({ messages: [{ role: 'user', content: 'Q' }] });
  });

  it('stops a reply, keeping its text marked stopped, and the connection is aborted', async () => {
    let signal: AbortSignal | undefined;
    const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
      signal = init?.signal ?? undefined;
      return mockResponse('one two three four five six', { delayMs: 10, signal: signal! });
    });
    const chat = session({ fetch });
    const settled = chat.send('Go');
    await vi.waitFor(() => expect(chat.getSnapshot().messages[1]?.content).not.toBe(''));
    chat.stop();
    await settled;
    const reply = chat.getSnapshot().messages[1]!;
    expect(reply.status).toBe('stopped');
    expect(reply.content.length).toBeGreaterThan(0);
    expect(chat.getSnapshot().status).toBe('aborted');
    expect(signal?.aborted).toBe(true);
  });

  it('notifies a message’s own listeners only when that message changes', async () => {
    const { fetch } = fetchAnswering(() => mockResponse('a b c d e', { delayMs: 1 }));
    const initialMessages = Array.from({ length: 200 }, (_, index) => ({
      id: `old-${index}`,
      role: index % 2 === 0 ? ('user' as const) : ('assistant' as const),
      content: `message ${index}`,
    }));
    const chat = session({ fetch, initialMessages });
    const oldListener = vi.fn<() => void>();
    for (const message of initialMessages) chat.subscribeMessage(message.id, oldListener);
    const before = chat.getSnapshot().messages.slice(0, 200);
    await chat.send('new question');
    expect(oldListener).not.toHaveBeenCalled();
    const after = chat.getSnapshot().messages.slice(0, 200);
    expect(after.every((message, index) => message === before[index])).toBe(true);
  });

  it('replaces messages with setMessages and goes back to the initial ones with reset', () => {
    const chat = session({
      fetch: vi.fn<typeof globalThis.fetch>(),
      initialMessages: [{ role: 'assistant', content: 'Hi!' }],
    });
    chat.setMessages((current) => [...current, { role: 'user', content: 'Saved question' }]);
    expect(chat.getSnapshot().messages.map((message) => message.content)).toEqual(['Hi!', 'Saved question']);
    chat.reset();
    expect(chat.getSnapshot().messages.map((message) => message.content)).toEqual(['Hi!']);
  });

  it('refuses empty text', async () => {
    await expect(session({ fetch: vi.fn<typeof globalThis.fetch>() }).send('  ')).rejects.toThrow(TypeError);
  });
});
