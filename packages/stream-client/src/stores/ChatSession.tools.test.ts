import { describe, expect, it, vi } from 'vitest';
import type { ModelScript } from '../testing/providerEvents.js';
import { mockResponse } from '../testing/mockResponse.js';
import type { ToolDefinition } from '../tools/ToolDefinition.js';
import { tool } from '../tools/tool.js';
import { AttachmentError } from './AttachmentError.js';
import { ChatSession } from './ChatSession.js';
import type { ChatMessage, ChatSessionOptions } from './ChatSession.js';
import type { ToolCallPart } from './MessagePart.js';

/** A provider (OpenAI's format) answering each request with the next script, recording the bodies. */
function provider(...scripts: ModelScript[]) {
  const bodies: Array<Record<string, unknown>> = [];
  const fetch = vi.fn<typeof globalThis.fetch>(async (_input, init) => {
    bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
    const script = scripts[Math.min(bodies.length - 1, scripts.length - 1)]!;
    return mockResponse(script.text, { ...script, ...(init?.signal ? { signal: init.signal } : {}) });
  });
  return { fetch, bodies };
}

const call = (name: string, input: unknown, id = 'call_1') => ({
  text: '',
  toolCalls: [{ id, name, arguments: input }],
});

const session = (options: Partial<ChatSessionOptions> & Pick<ChatSessionOptions, 'fetch'>) =>
  new ChatSession({ url: 'http://chat.test/', provider: 'openai', throttle: false, ...options });

/** Resolves once the chat has stopped working: the reply done, waiting, stopped or failed. */
function settled(chat: ChatSession): Promise<ChatMessage> {
  return new Promise((resolve) => {
    const check = () => {
      const last = chat.getSnapshot().messages.at(-1)!;
      if (!chat.busy && last.status !== 'streaming') {
        off();
        resolve(last);
      }
    };
    const off = chat.subscribe(check);
    check();
  });
}

const toolCalls = (message: ChatMessage) =>
  message.parts.filter((part): part is ToolCallPart => part.type === 'tool-call');

/** The tool messages the second request sent back, as OpenAI takes them. */
const sentBack = (body: Record<string, unknown>) =>
  (body['messages'] as Array<{ role: string; content: unknown }>).filter((message) => message.role === 'tool');

const city = {
  type: 'object',
  properties: { city: { type: 'string', minLength: 2 } },
  required: ['city'],
  additionalProperties: false,
};

describe('ChatSession tools: what goes wrong becomes an output-error the model reads', () => {
  it.each([
    ['an unknown tool', call('teleport', { to: 'Mars' }), 'There is no tool named "teleport".'],
    ['arguments that fail the schema', call('weather', { city: 'P' }), '"city" must be at least 2 characters'],
    [
      'an argument the schema does not know',
      call('weather', { city: 'Paris', units: 'K' }),
      '"units" is not a known argument',
    ],
  ])('%s', async (_name, first, expected) => {
    const { fetch, bodies } = provider(first, { text: 'Sorry about that.' });
    const execute = vi.fn<() => { temperature: number }>(() => ({ temperature: 21 }));
    const chat = session({ fetch, tools: { weather: { parameters: city, execute } } });
    await chat.send('Weather?');
    const reply = await settled(chat);
    expect(execute).not.toHaveBeenCalled();
    expect(toolCalls(reply)[0]).toMatchObject({ state: 'output-error' });
    expect(toolCalls(reply)[0]!.errorText).toContain(expected);
    expect(reply).toMatchObject({ status: 'done', content: 'Sorry about that.' });
    expect(sentBack(bodies[1]!)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: toolCalls(reply)[0]!.errorText },
    ]);
  });

  it('arguments that are not JSON', async () => {
    const { fetch, bodies } = provider({ text: 'Sorry.' });
    // A model that wrote broken JSON: OpenAI's own chunks, by hand.
    const chunk = (delta: object, finish: string | null = null) =>
      `data: ${JSON.stringify({ id: 'c', model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    fetch.mockImplementationOnce(async (_input, init) => {
      bodies.push(JSON.parse(String(init?.body)) as Record<string, unknown>);
      return new Response(
        [
          chunk({
            tool_calls: [
              { index: 0, id: 'call_1', type: 'function', function: { name: 'weather', arguments: '{"city": Par' } },
            ],
          }),
          chunk({}, 'tool_calls'),
          'data: [DONE]\n\n',
        ].join(''),
        { headers: { 'content-type': 'text/event-stream' } },
      );
    });
    const execute = vi.fn<() => void>();
    const chat = session({ fetch, tools: { weather: { parameters: city, execute } } });
    await chat.send('Weather?');
    const reply = await settled(chat);
    expect(execute).not.toHaveBeenCalled();
    expect(toolCalls(reply)[0]).toMatchObject({
      state: 'output-error',
      errorText: 'The arguments are not valid JSON.',
    });
    expect(reply.status).toBe('done');
  });

  it('an execute that throws, and one that hangs past toolTimeoutMs with its signal aborted', async () => {
    const { fetch, bodies } = provider(
      {
        text: '',
        toolCalls: [
          { id: 'call_1', name: 'explode', arguments: {} },
          { id: 'call_2', name: 'hang', arguments: {} },
        ],
      },
      { text: 'Both failed.' },
    );
    let hangSignal: AbortSignal | undefined;
    const chat = session({
      fetch,
      toolTimeoutMs: 50,
      tools: {
        explode: {
          execute: () => {
            throw new RangeError('The reactor is offline.');
          },
        },
        hang: {
          execute: (_input, { signal }) => {
            hangSignal = signal;
            return new Promise(() => {});
          },
        },
      },
    });
    await chat.send('Go.');
    const reply = await settled(chat);
    expect(toolCalls(reply).map((part) => [part.state, part.errorText])).toEqual([
      ['output-error', 'The tool failed: The reactor is offline.'],
      ['output-error', 'The tool did not finish within 50 ms.'],
    ]);
    expect(hangSignal?.aborted).toBe(true);
    expect(sentBack(bodies[1]!)).toHaveLength(2);
    expect(reply.content).toBe('Both failed.');
  });
});

describe('ChatSession tools: the loop', () => {
  it('validates with a Standard Schema and runs the tool with what it outputs', async () => {
    const { fetch } = provider(call('weather', { city: '  Paris ' }), { text: 'Done.' });
    const received: unknown[] = [];
    // A Standard Schema validator of our own, as zod or Valibot would be: it trims the city.
    const schema = {
      '~standard': {
        version: 1 as const,
        vendor: 'test',
        validate: (value: unknown) => {
          const input = value as { city?: unknown };
          return typeof input.city === 'string'
            ? { value: { city: input.city.trim() } }
            : { issues: [{ message: 'city is required', path: ['city'] }] };
        },
        jsonSchema: { input: () => ({ $schema: 'https://json-schema.org/draft-07/schema#', ...city }) },
      },
    };
    const weather = tool({ parameters: schema, execute: (input) => void received.push(input) });
    const chat = session({ fetch, tools: { weather } });
    await chat.send('Weather?');
    await settled(chat);
    expect(received).toEqual([{ city: 'Paris' }]);
    // The provider is told the JSON Schema, without its dialect line.
    expect((fetch.mock.calls[0]![1]!.body as string).includes('$schema')).toBe(false);
  });

  it('a tool without execute waits for addToolResult, then the reply goes on', async () => {
    const { fetch, bodies } = provider(call('pick_color', {}), { text: 'Blue it is.' });
    const chat = session({ fetch, tools: { pick_color: { description: 'Ask the person for a color.' } } });
    await chat.send('Choose a color for me.');
    const waiting = await settled(chat);
    expect(waiting.status).toBe('waiting');
    expect(chat.busy).toBe(false);
    chat.addToolResult('call_1', { color: 'blue' });
    const done = await settled(chat);
    expect(done).toMatchObject({ status: 'done', content: 'Blue it is.', metadata: { steps: 2 } });
    expect(sentBack(bodies[1]!)).toEqual([{ role: 'tool', tool_call_id: 'call_1', content: '{"color":"blue"}' }]);
    expect(() => chat.addToolResult('call_1', 'again')).toThrow(/not waiting/);
  });

  it('a denied call is not run, and the model is told why', async () => {
    const { fetch, bodies } = provider(call('delete_file', { path: '/etc/hosts' }), { text: 'I will not delete it.' });
    const execute = vi.fn<() => void>();
    const chat = session({ fetch, tools: { delete_file: { needsApproval: true, execute } } });
    await chat.send('Clean up.');
    await settled(chat);
    chat.addToolApproval('call_1', false, 'Not that file.');
    const done = await settled(chat);
    expect(execute).not.toHaveBeenCalled();
    expect(toolCalls(done)[0]).toMatchObject({ state: 'denied', denialReason: 'Not that file.' });
    expect(sentBack(bodies[1]!)).toEqual([
      { role: 'tool', tool_call_id: 'call_1', content: 'The person did not allow this call: Not that file.' },
    ]);
  });

  it('needsApproval as a function asks only for the calls it names', async () => {
    const { fetch } = provider(
      {
        text: '',
        toolCalls: [
          { id: 'small', name: 'pay', arguments: { amount: 5 } },
          { id: 'big', name: 'pay', arguments: { amount: 500 } },
        ],
      },
      { text: 'Paid.' },
    );
    const paid: unknown[] = [];
    const chat = session({
      fetch,
      tools: {
        pay: tool<{ amount: number }>({
          needsApproval: ({ amount }) => amount > 100,
          execute: ({ amount }) => void paid.push(amount),
        }),
      },
    });
    await chat.send('Pay both.');
    const waiting = await settled(chat);
    expect(toolCalls(waiting).map((part) => part.state)).toEqual(['output-available', 'awaiting-approval']);
    expect(paid).toEqual([5]);
    chat.addToolApproval('big', true);
    await settled(chat);
    expect(paid).toEqual([5, 500]);
  });

  it('stops after maxSteps requests, the last calls answered but not sent', async () => {
    const { fetch, bodies } = provider(call('again', {}));
    const chat = session({ fetch, maxSteps: 3, tools: { again: { execute: () => 'ok' } } });
    await chat.send('Loop.');
    const done = await settled(chat);
    expect(bodies).toHaveLength(3);
    expect(done).toMatchObject({ status: 'done', metadata: { steps: 3 } });
  });

  it('Stop aborts the tools that run and marks the reply stopped; the next message goes on from there', async () => {
    const { fetch, bodies } = provider(call('slow', {}), { text: 'Next answer.' });
    let signal: AbortSignal | undefined;
    const chat = session({
      fetch,
      tools: {
        slow: {
          execute: (_input, options) => {
            signal = options.signal;
            return new Promise(() => {});
          },
        },
      },
    });
    // send() resolves when the reply settles: here, only once it is stopped.
    const sending = chat.send('Go.');
    await vi.waitFor(() => expect(signal).toBeDefined());
    expect(chat.busy).toBe(true);
    chat.stop();
    await sending;
    expect(signal!.aborted).toBe(true);
    const stopped = chat.getSnapshot().messages.at(-1)!;
    expect(stopped.status).toBe('stopped');
    expect(toolCalls(stopped)[0]).toMatchObject({ state: 'output-error', errorText: 'The tool was stopped.' });
    await chat.send('Something else.');
    expect(sentBack(bodies[1]!)).toEqual([{ role: 'tool', tool_call_id: 'call_1', content: 'The tool was stopped.' }]);
  });

  it('a message sent while calls wait declines them, so the history can go on', async () => {
    const { fetch, bodies } = provider(call('confirm', {}), { text: 'Fine, something else.' });
    const chat = session({ fetch, tools: { confirm: { needsApproval: true, execute: () => 'ok' } } });
    await chat.send('Do it.');
    await settled(chat);
    await chat.send('Actually, never mind.');
    const first = chat.getSnapshot().messages[1]!;
    expect(first.status).toBe('done');
    expect(toolCalls(first)[0]).toMatchObject({
      state: 'denied',
      denialReason: 'The person sent a new message instead.',
    });
    expect(sentBack(bodies[1]!)).toHaveLength(1);
  });

  it('an approval waiting in a saved conversation is answered after a reload, and the reply goes on', async () => {
    const { fetch } = provider({ text: 'Approved and done.' });
    const saved: ChatMessage[] = [
      {
        id: 'u',
        role: 'user',
        content: 'Book it.',
        status: 'done',
        parts: [{ type: 'text', id: 'u-t', text: 'Book it.', state: 'done' }],
      },
      {
        id: 'a',
        role: 'assistant',
        content: '',
        status: 'waiting',
        parts: [
          { type: 'step-start', id: 'a-0' },
          {
            type: 'tool-call',
            id: 'call_1',
            name: 'book',
            state: 'awaiting-approval',
            input: { day: 'Monday' },
            inputText: '{"day":"Monday"}',
          },
        ],
        metadata: { steps: 1 },
      },
    ];
    const booked: unknown[] = [];
    const chat = session({
      fetch,
      initialMessages: saved,
      tools: { book: { needsApproval: true, execute: (input) => void booked.push(input) } },
    });
    chat.addToolApproval('call_1', true);
    const done = await settled(chat);
    expect(booked).toEqual([{ day: 'Monday' }]);
    expect(done).toMatchObject({ id: 'a', status: 'done', content: 'Approved and done.' });
  });
});

describe('ChatSession attachments', () => {
  it('sends files in the provider’s content shape, and keeps them in the conversation', async () => {
    const { fetch, bodies } = provider({ text: 'A cat.' }, { text: 'Still a cat.' });
    const chat = session({ fetch });
    const image = new File([new Uint8Array([137, 80, 78, 71])], 'cat.png', { type: 'image/png' });
    const notes = new File(['Cats sleep a lot.'], 'notes.txt', { type: 'text/plain' });
    await chat.send({
      text: 'What is this?',
      files: [image, notes, { url: 'https://example.com/a.pdf', mediaType: 'application/pdf' }],
    });
    const user = chat.getSnapshot().messages[0]!;
    expect(user.parts.map((part) => part.type)).toEqual(['text', 'file', 'file', 'file']);
    expect(user.parts[1]).toMatchObject({
      type: 'file',
      mediaType: 'image/png',
      filename: 'cat.png',
      url: 'data:image/png;base64,iVBORw==',
    });
    expect((bodies[0]!['messages'] as Array<{ content: unknown }>)[0]!.content).toEqual([
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
      { type: 'text', text: 'notes.txt:\nCats sleep a lot.' },
      { type: 'text', text: 'attachment: https://example.com/a.pdf' },
    ]);
    // The history carries them again.
    await chat.send('And now?');
    expect(JSON.stringify(bodies[1])).toContain('data:image/png;base64,iVBORw==');
  });

  it('refuses a file past the limits with an AttachmentError, changing nothing', async () => {
    const { fetch } = provider({ text: 'x' });
    const chat = session({ fetch, attachments: { maxFileBytes: 4, accept: ['image/*'] } });
    const big = new File([new Uint8Array(5)], 'big.png', { type: 'image/png' });
    await expect(chat.send({ text: 'Look', files: [big] })).rejects.toMatchObject({
      name: 'AttachmentError',
      reason: 'too-large',
      message: 'big.png is larger than 0 KB.',
    });
    const script = new File(['x'], 'run.sh', { type: 'application/x-sh' });
    const refused = await chat.send({ text: 'Run', files: [script] }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AttachmentError);
    expect(refused).toMatchObject({ reason: 'type', filename: 'run.sh' });
    expect(chat.getSnapshot().messages).toEqual([]);
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('tool definitions', () => {
  it('says at once when a Standard Schema cannot describe itself and no jsonSchema is given', async () => {
    const { fetch } = provider({ text: 'x' });
    const opaque = {
      '~standard': { version: 1 as const, vendor: 'opaque', validate: (value: unknown) => ({ value }) },
    };
    const chat = session({ fetch, tools: { mystery: { parameters: opaque } satisfies ToolDefinition } });
    await expect(chat.send('Hi')).rejects.toThrow(/Tool "mystery": its parameters are a opaque schema/);
  });
});
