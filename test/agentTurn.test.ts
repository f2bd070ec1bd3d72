/*
 * A whole agent turn, every hop a real HTTP server on loopback: text, a tool call whose arguments
 * stream, a person's approval, the tool run, its result sent back in the provider's own shape,
 * and the final answer. Once with the browser calling each provider itself, and once through the
 * chat handler, with the tool run in the browser and with the tool run on the server.
 */
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ChatSession } from '@sluice/stream-client';
import type { ChatMessage, ChatSessionOptions, ToolCallPart, ToolDefinition } from '@sluice/stream-client';
import { createChatHandler } from '@sluice/stream-client/server';
import type { ChatHandlerTool, ChatProvider } from '@sluice/stream-client/server';
import { providerEvents } from '@sluice/stream-client/testing';
import { beginEventStream, listen, serve, writeSlowly } from './support/loopbackServer.js';
import type { RecordedRequest } from './support/loopbackServer.js';

const formats = ['openai', 'anthropic', 'openai-responses'] as const;
const question = 'What should I wear in Paris today?';
const firstText = 'Let me look at the weather.';
const finalText = 'It is 21 degrees and sunny in Paris: a light jacket will do.';
const weather = { city: 'Paris', temperature: 21, sky: 'sunny' };
const parameters = {
  type: 'object',
  properties: { city: { type: 'string' } },
  required: ['city'],
  additionalProperties: false,
};

/** A provider speaking `format` that asks for the weather tool, then answers with its result. */
async function weatherProvider(format: ChatProvider) {
  const server = await serve((_request: RecordedRequest, response: ServerResponse, index: number) => {
    beginEventStream(response);
    const script =
      index === 0
        ? { text: firstText, toolCalls: [{ id: 'call_weather_1', name: 'weather', arguments: { city: 'Paris' } }] }
        : { text: finalText };
    writeSlowly(response, providerEvents(format, script), 1);
  });
  const origin = new URL(server.url).origin;
  return {
    requests: server.requests,
    baseURL: format === 'anthropic' ? origin : `${origin}/v1`,
    url:
      format === 'anthropic'
        ? `${origin}/v1/messages`
        : `${origin}/v1/${format === 'openai' ? 'chat/completions' : 'responses'}`,
    body: (index: number) => JSON.parse(server.requests[index]!.body) as Record<string, unknown>,
  };
}

/** Every state the weather call was seen in, in order, with its input as it was then. */
function watchCall(chat: ChatSession) {
  const seen: Array<{ state: string; input: unknown }> = [];
  chat.subscribe(() => {
    const call = chat
      .getSnapshot()
      .messages.flatMap((message) => message.parts)
      .find((part): part is ToolCallPart => part.type === 'tool-call');
    if (call !== undefined && seen.at(-1)?.state !== call.state) seen.push({ state: call.state, input: call.input });
  });
  return seen;
}

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

/** The tool-result content each provider's second request must carry. */
function expectResultSentBack(format: ChatProvider, body: Record<string, unknown>) {
  const result = JSON.stringify(weather);
  if (format === 'openai') {
    expect(body['messages']).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          role: 'assistant',
          content: firstText,
          tool_calls: [
            { id: 'call_weather_1', type: 'function', function: { name: 'weather', arguments: '{"city":"Paris"}' } },
          ],
        }),
        { role: 'tool', tool_call_id: 'call_weather_1', content: result },
      ]),
    );
  } else if (format === 'anthropic') {
    expect((body['messages'] as unknown[]).slice(-2)).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'text', text: firstText },
          { type: 'tool_use', id: 'call_weather_1', name: 'weather', input: { city: 'Paris' } },
        ],
      },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_weather_1', content: result }] },
    ]);
  } else {
    const input = body['input'] as Array<Record<string, unknown>>;
    expect(input.at(-2)).toMatchObject({ type: 'function_call', call_id: 'call_weather_1', name: 'weather' });
    expect(input.at(-1)).toEqual({ type: 'function_call_output', call_id: 'call_weather_1', output: result });
  }
}

/** What a finished turn holds: two steps, the call answered in the first, the answer in the second. */
function expectWholeTurn(message: ChatMessage, runsOn: 'client' | 'server' | undefined) {
  expect(message).toMatchObject({ status: 'done', content: `${firstText}\n\n${finalText}` });
  expect(message.parts.map((part) => part.type)).toEqual(['step-start', 'text', 'tool-call', 'step-start', 'text']);
  expect(message.parts[2]).toMatchObject({
    type: 'tool-call',
    id: 'call_weather_1',
    name: 'weather',
    state: 'output-available',
    input: { city: 'Paris' },
    output: weather,
    ...(runsOn === undefined ? {} : { runsOn }),
  });
  expect(message.metadata).toMatchObject({ steps: 2, finishReason: 'stop' });
}

describe.each(formats)('%s: a whole agent turn, the browser calling the provider', (format) => {
  it('streams the call, waits for approval, runs the tool, sends the result back and streams the answer', async () => {
    const provider = await weatherProvider(format);
    const executed: unknown[] = [];
    const tools: Record<string, ToolDefinition> = {
      weather: {
        description: 'The weather in a city now.',
        parameters,
        needsApproval: true,
        execute: (input) => {
          executed.push(input);
          return weather;
        },
      },
    };
    const chat = new ChatSession({ url: provider.url, provider: format, throttle: false, tools });
    const seen = watchCall(chat);
    await chat.send(question);
    const waiting = await settled(chat);
    expect(waiting.status).toBe('waiting');
    expect(executed).toEqual([]);
    // The tool was described in the provider's own shape.
    expect(JSON.stringify(provider.body(0)['tools'])).toContain('The weather in a city now.');

    chat.addToolApproval('call_weather_1', true);
    expectWholeTurn(await settled(chat), undefined);
    expect(executed).toEqual([{ city: 'Paris' }]);
    expect(provider.requests).toHaveLength(2);
    expectResultSentBack(format, provider.body(1));
    // The arguments were shown as they streamed, parsed as far as they had come.
    expect(seen.map((entry) => entry.state)).toEqual([
      'input-streaming',
      'input-available',
      'awaiting-approval',
      'approved',
      'output-available',
    ]);
    expect(seen[0]!.input === undefined || typeof seen[0]!.input === 'object').toBe(true);
  });
});

/** The chat handler on loopback in front of a provider; its tools, if any, run on the server. */
async function handlerFor(format: ChatProvider, baseURL: string, tools?: Record<string, ChatHandlerTool>) {
  const handler = createChatHandler({
    provider: format,
    model: 'm',
    apiKey: 'sk-test-key-0123',
    baseURL,
    ...(tools === undefined ? {} : { tools }),
  });
  const origin = await listen((request, response) => void handler.node(request, response));
  return `${origin}/api/chat`;
}

describe.each(formats)('%s: a whole agent turn through the chat handler', (format) => {
  it('a tool of the browser: the handler describes it to the provider, the browser runs it, the handler sends its result back', async () => {
    const provider = await weatherProvider(format);
    const url = await handlerFor(format, provider.baseURL);
    const options: ChatSessionOptions = {
      url,
      throttle: false,
      tools: {
        weather: { description: 'The weather in a city now.', parameters, needsApproval: true, execute: () => weather },
      },
    };
    const chat = new ChatSession(options);
    await chat.send(question);
    expect((await settled(chat)).status).toBe('waiting');
    chat.addToolApproval('call_weather_1', true);
    expectWholeTurn(await settled(chat), undefined);
    expect(JSON.stringify(provider.body(0)['tools'])).toContain('The weather in a city now.');
    expectResultSentBack(format, provider.body(1));
  });

  it('a tool of the server: approved in the browser, run by the handler, its result streamed and sent back', async () => {
    const provider = await weatherProvider(format);
    const ran: Array<{ input: unknown; chatId: string | undefined }> = [];
    const url = await handlerFor(format, provider.baseURL, {
      weather: {
        description: 'The weather in a city now.',
        parameters,
        needsApproval: true,
        execute: (input, { context, data }) => {
          ran.push({ input, chatId: context.chatId });
          data('progress', { stage: 'asking the forecast' }, 'weather-progress');
          return weather;
        },
      },
    });
    const chat = new ChatSession({ url, throttle: false, id: 'chat-9' });
    await chat.send(question);
    const waiting = await settled(chat);
    expect(waiting.status).toBe('waiting');
    expect(waiting.parts.find((part) => part.type === 'tool-call')).toMatchObject({
      state: 'awaiting-approval',
      runsOn: 'server',
      input: { city: 'Paris' },
    });
    expect(ran).toEqual([]);
    expect(provider.requests).toHaveLength(1);

    chat.addToolApproval('call_weather_1', true);
    const done = await settled(chat);
    expect(ran).toEqual([{ input: { city: 'Paris' }, chatId: 'chat-9' }]);
    expect(done.parts.find((part) => part.type === 'data-progress')).toEqual({
      type: 'data-progress',
      id: 'weather-progress',
      data: { stage: 'asking the forecast' },
    });
    expect(done).toMatchObject({ status: 'done', content: `${firstText}\n\n${finalText}` });
    expect(done.parts.find((part) => part.type === 'tool-call')).toMatchObject({
      state: 'output-available',
      output: weather,
      runsOn: 'server',
    });
    expect(provider.requests).toHaveLength(2);
    expectResultSentBack(format, provider.body(1));
  });

  it('a tool of the server without approval: the handler runs it and calls the provider again in the same reply', async () => {
    const provider = await weatherProvider(format);
    const url = await handlerFor(format, provider.baseURL, {
      weather: { description: 'The weather in a city now.', parameters, execute: () => weather },
    });
    const chat = new ChatSession({ url, throttle: false });
    await chat.send(question);
    const done = await settled(chat);
    expect(done).toMatchObject({ status: 'done', content: `${firstText}\n\n${finalText}` });
    expect(done.parts.map((part) => part.type)).toEqual(['step-start', 'text', 'tool-call', 'step-start', 'text']);
    expect(done.parts[2]).toMatchObject({ state: 'output-available', output: weather, runsOn: 'server' });
    expectResultSentBack(format, provider.body(1));
  });
});
