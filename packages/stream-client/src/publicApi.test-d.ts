import { describe, expectTypeOf, it } from 'vitest';
import { createSSEParser, parseSSE, streamText, StreamError, TextStreamStore, ChatSession } from './index.js';
import type {
  ChatMessage,
  FinishReason,
  ServerSentEvent,
  StreamErrorKind,
  StreamPart,
  StreamResult,
  TextStream,
  TextStreamSnapshot,
} from './index.js';
import { createChatHandler, relay, toSSEResponse } from './server/index.js';
import { mockResponse } from './testing/index.js';

describe('the public types of @sluice/stream-client', () => {
  it('parses into ServerSentEvents', () => {
    expectTypeOf(parseSSE)
      .parameter(0)
      .toEqualTypeOf<ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>>();
    expectTypeOf(parseSSE(new ReadableStream())).toExtend<AsyncIterable<ServerSentEvent>>();
    expectTypeOf(createSSEParser({ onEvent: () => {} }).feed)
      .parameter(0)
      .toEqualTypeOf<string | Uint8Array>();
    expectTypeOf<ServerSentEvent>().toEqualTypeOf<{ type: string; data: string; lastEventId: string }>();
  });

  it('streams text with typed listeners and a typed result', () => {
    const stream = streamText({ url: '/api' });
    expectTypeOf(stream).toEqualTypeOf<TextStream>();
    expectTypeOf(stream.text).toBeString();
    expectTypeOf(stream.result()).resolves.toEqualTypeOf<StreamResult>();
    stream.on('text', (delta, text) => {
      expectTypeOf(delta).toBeString();
      expectTypeOf(text).toBeString();
    });
    stream.on('error', (error) => expectTypeOf(error).toEqualTypeOf<StreamError>());
    stream.on('finish', (result) => expectTypeOf(result.finishReason).toEqualTypeOf<FinishReason | undefined>());
    // @ts-expect-error: there is no such event
    stream.on('done', () => {});
    // @ts-expect-error: no such provider
    streamText({ url: '/api', provider: 'gemini' });
  });

  it('narrows parts by type', () => {
    expectTypeOf<Extract<StreamPart, { type: 'text-delta' }>['text']>().toBeString();
    expectTypeOf<Extract<StreamPart, { type: 'tool-call' }>['toolCall']['arguments']>().toBeUnknown();
    expectTypeOf<Extract<StreamPart, { type: 'finish' }>['finishReason']>().toEqualTypeOf<FinishReason>();
  });

  it('types errors by kind, with the partial result', () => {
    expectTypeOf<StreamError['kind']>().toEqualTypeOf<StreamErrorKind>();
    expectTypeOf<StreamErrorKind>().toEqualTypeOf<
      'http' | 'network' | 'timeout' | 'aborted' | 'provider' | 'protocol' | 'truncated' | 'restarted' | 'gone'
    >();
    expectTypeOf<StreamError['partial']>().toEqualTypeOf<StreamResult>();
  });

  it('exposes stores with subscribe and immutable snapshots', () => {
    const store = new TextStreamStore({ url: '/api' });
    expectTypeOf(store.subscribe).returns.toEqualTypeOf<() => void>();
    expectTypeOf(store.getSnapshot()).toEqualTypeOf<TextStreamSnapshot>();
    expectTypeOf<TextStreamSnapshot['text']>().toBeString();
    const chat = new ChatSession({ url: '/api' });
    expectTypeOf(chat.send).returns.resolves.toBeVoid();
    expectTypeOf(chat.getSnapshot().messages).toEqualTypeOf<readonly ChatMessage[]>();
  });

  it('relays to a Web Response and mocks with one', () => {
    expectTypeOf(toSSEResponse(relay(streamText({ url: '/upstream' })))).toEqualTypeOf<Response>();
    const chat = createChatHandler({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
    expectTypeOf(chat).toBeCallableWith(new Request('http://app.test/api/chat'));
    expectTypeOf(chat).returns.resolves.toEqualTypeOf<Response>();
    // @ts-expect-error: a provider the handler does not call
    createChatHandler({ provider: 'sluice', model: 'm' });
    expectTypeOf(mockResponse('hi')).toEqualTypeOf<Response>();
  });
});
