/*
 * ChatSession.resume() against the real chat handler, in process: the handler is the fetch, so
 * both ends of the wire are ours and nothing is mocked between them.
 */
import { describe, expect, it, vi } from 'vitest';
import { createChatHandler } from '../server/createChatHandler.js';
import type { ChatModel } from '../server/createChatHandler.js';
import { createResumableStreams } from '../server/createResumableStreams.js';
import type { ResumableStreams } from '../server/createResumableStreams.js';
import { ChatSession } from './ChatSession.js';
import type { ChatMessage, ChatSessionOptions } from './ChatSession.js';

const words = Array.from({ length: 80 }, (_, index) => `w${index} `);
const answer = words.join('');

/** A model that writes `words` a few milliseconds apart, and counts its generations and stops. */
function slowModel() {
  const counts = { generations: 0, stopped: 0 };
  const model: ChatModel = async function* (_chat, { signal }) {
    counts.generations++;
    signal.addEventListener('abort', () => counts.stopped++, { once: true });
    for (const text of words) {
      await new Promise((resolve) => setTimeout(resolve, 4));
      if (signal.aborted) return;
      yield { type: 'text-delta', text };
    }
  };
  return { model, counts };
}

function server(streams: ResumableStreams = createResumableStreams()) {
  const { model, counts } = slowModel();
  const handler = createChatHandler({ provider: model, streams });
  const requests: Headers[] = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
    const request = new Request(input, init);
    requests.push(request.headers);
    return handler(request);
  });
  return { fetch, counts, requests, streams };
}

const session = (fetch: typeof globalThis.fetch, options: Partial<ChatSessionOptions> = {}) =>
  new ChatSession({ url: 'http://chat.test/api/chat', fetch, throttle: false, retry: false, ...options });

const summary = (messages: readonly ChatMessage[]) =>
  messages.map(({ role, content, status }) => ({ role, content, status }));

describe('ChatSession.resume', () => {
  it('follows a chat’s live reply in a second tab: the same answer, asked of the model once', async () => {
    const { fetch, counts, requests } = server();
    const first = session(fetch, { id: 'chat-1' });
    const sent = first.send('Tell me');
    await vi.waitFor(() => expect(first.getSnapshot().messages[1]?.content.length).toBeGreaterThan(8), { interval: 2 });
    // The second tab loaded the conversation as saved: the question, not the reply.
    const second = session(fetch, { id: 'chat-1', initialMessages: [first.getSnapshot().messages[0]!] });
    await Promise.all([sent, second.resume()]);
    const expected = [
      { role: 'user', content: 'Tell me', status: 'done' },
      { role: 'assistant', content: answer, status: 'done' },
    ];
    expect(summary(first.getSnapshot().messages)).toEqual(expected);
    expect(summary(second.getSnapshot().messages)).toEqual(expected);
    expect(second.getSnapshot().messages[1]!.streamId).toBe(first.getSnapshot().messages[1]!.streamId);
    expect(counts.generations).toBe(1);
    expect(requests[0]!.get('sluice-chat')).toBe('chat-1');
    expect(requests[1]!.get('sluice-resume')).toBe('chat-1');
  });

  it('completes a reply saved mid-answer in place, exactly once, never showing less than was saved', async () => {
    const { fetch, counts } = server();
    const first = session(fetch, { id: 'chat 2/ü' });
    const sent = first.send('Tell me');
    await vi.waitFor(() => expect(first.getSnapshot().messages[1]?.content.length).toBeGreaterThan(20), {
      interval: 2,
    });
    // The page is reloaded: what was saved is the conversation with the reply as it then stood.
    const saved = first.getSnapshot().messages;
    expect(saved[1]).toMatchObject({ status: 'streaming', streamId: expect.any(String) });
    first.dispose();
    const reloaded = session(fetch, { id: 'chat 2/ü', initialMessages: saved });
    const shown: string[] = [];
    reloaded.subscribeMessage(saved[1]!.id, () => shown.push(reloaded.getMessage(saved[1]!.id)!.content));
    await reloaded.resume();
    await sent;
    expect(summary(reloaded.getSnapshot().messages)).toEqual([
      { role: 'user', content: 'Tell me', status: 'done' },
      { role: 'assistant', content: answer, status: 'done' },
    ]);
    expect(reloaded.getSnapshot().messages[1]!.id).toBe(saved[1]!.id);
    expect(shown.every((text) => text.length >= saved[1]!.content.length)).toBe(true);
    expect(counts.generations).toBe(1);
    // The parts are rebuilt from the replay, not added to what was saved: one step, one text.
    expect(saved[1]!.parts.map((part) => part.type)).toEqual(['step-start', 'text']);
    expect(reloaded.getSnapshot().messages[1]!.parts).toMatchObject([
      { type: 'step-start' },
      { type: 'text', text: answer, state: 'done' },
    ]);
  });

  it('changes nothing when the chat has no live reply', async () => {
    const { fetch, counts } = server();
    const initialMessages = [
      { role: 'user' as const, content: 'Q' },
      { role: 'assistant' as const, content: 'A' },
    ];
    const chat = session(fetch, { id: 'quiet', initialMessages });
    const before = chat.getSnapshot();
    await chat.resume();
    expect(chat.getSnapshot()).toBe(before);
    expect(chat.busy).toBe(false);
    expect(counts.generations).toBe(0);
  });

  it('shows a reply stopped in another tab as stopped, with its text', async () => {
    const { fetch, counts } = server();
    const first = session(fetch, { id: 'chat-3' });
    const sent = first.send('Tell me');
    await vi.waitFor(() => expect(first.getSnapshot().messages[1]?.content.length).toBeGreaterThan(8), { interval: 2 });
    const second = session(fetch, { id: 'chat-3', initialMessages: [first.getSnapshot().messages[0]!] });
    const following = second.resume();
    await vi.waitFor(() => expect(second.getSnapshot().messages[1]?.content.length).toBeGreaterThan(8), {
      interval: 2,
    });
    second.stop();
    await Promise.all([sent, following]);
    await vi.waitFor(() => expect(counts.stopped).toBe(1));
    for (const chat of [first, second]) {
      const reply = chat.getSnapshot().messages[1]!;
      expect(reply.status).toBe('stopped');
      expect(reply.error).toBeUndefined();
      expect(answer.startsWith(reply.content)).toBe(true);
      expect(reply.content.length).toBeGreaterThan(8);
    }
  });

  it('keeps a saved reply’s text, marked failed, when the server no longer has the reply', async () => {
    const { fetch } = server();
    const saved = [
      { id: 'q', role: 'user' as const, content: 'Q' },
      {
        id: 'a',
        role: 'assistant' as const,
        content: 'Half an ans',
        status: 'streaming' as const,
        streamId: 'expired',
      },
    ];
    const chat = session(fetch, { id: 'chat-4', initialMessages: saved });
    await chat.resume();
    expect(chat.getMessage('a')).toMatchObject({ content: 'Half an ans', status: 'failed', error: { kind: 'gone' } });
  });

  it('asks for the chat’s live reply, rather than throwing, when a saved stream id could not travel in a header', async () => {
    const { fetch, requests } = server();
    const saved = [
      { id: 'q', role: 'user' as const, content: 'Q' },
      { id: 'a', role: 'assistant' as const, content: 'Half', status: 'streaming' as const, streamId: '日本' },
    ];
    const chat = session(fetch, { id: 'chat-5', initialMessages: saved });
    await expect(chat.resume()).resolves.toBeUndefined();
    expect(requests).toHaveLength(1);
    expect(requests[0]!.get('last-event-id')).toBeNull();
    expect(requests[0]!.get('sluice-resume')).toBe('chat-5');
  });

  it('needs the chat’s id', async () => {
    await expect(session(server().fetch).resume()).rejects.toThrow(/needs the chat’s id/);
  });
});

describe('ChatSession.resume, racing the person', () => {
  it('never refuses a message sent while it is still asking for a live reply', async () => {
    let answerProbe!: () => void;
    const { fetch: handlerFetch } = server();
    const fetch = vi.fn<typeof globalThis.fetch>(async (input, init) => {
      // The probe is slow to answer (a slow network): the person types and sends first.
      if (new Headers(init?.headers).has('sluice-resume'))
        await new Promise<void>((resolve) => (answerProbe = resolve));
      return handlerFetch(input, init);
    });
    const chat = session(fetch, { id: 'chat-5' });
    const resumed = chat.resume();
    await vi.waitFor(() => expect(answerProbe).toBeDefined());
    await chat.send('Typed at once');
    answerProbe();
    await resumed;
    expect(summary(chat.getSnapshot().messages)).toEqual([
      { role: 'user', content: 'Typed at once', status: 'done' },
      { role: 'assistant', content: answer, status: 'done' },
    ]);
  });
});
