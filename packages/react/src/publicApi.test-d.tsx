import type { ComponentProps } from 'react';
import { describe, expectTypeOf, it } from 'vitest';
import type { ChatInput, ChatMessage, StreamError } from '@sluice/stream-client';
import { Chat, StreamingMessage, useChat, useStream } from './index.js';
import type { UseChatResult, UseStreamResult } from './index.js';
import { streamTextQueryOptions } from './query/index.js';

describe('the public types of @sluice/react', () => {
  it('types useStream', () => {
    const stream = {} as ReturnType<typeof useStream>;
    expectTypeOf(stream).toEqualTypeOf<UseStreamResult>();
    expectTypeOf(stream.status).toEqualTypeOf<'idle' | 'connecting' | 'streaming' | 'done' | 'error' | 'aborted'>();
    expectTypeOf(stream.error).toEqualTypeOf<StreamError | undefined>();
    expectTypeOf(stream.start).parameters.toEqualTypeOf<[body?: unknown]>();
    expectTypeOf(useStream).parameter(0).toHaveProperty('throttle');
  });

  it('types useChat', () => {
    const chat = {} as ReturnType<typeof useChat>;
    expectTypeOf(chat).toEqualTypeOf<UseChatResult>();
    expectTypeOf(chat.messages).toEqualTypeOf<readonly ChatMessage[]>();
    expectTypeOf(chat.send).parameter(0).toEqualTypeOf<ChatInput>();
    expectTypeOf<ChatMessage['status']>().toEqualTypeOf<'done' | 'streaming' | 'waiting' | 'stopped' | 'failed'>();
  });

  it('types the components', () => {
    expectTypeOf<ComponentProps<typeof StreamingMessage>['content']>().toBeString();
    expectTypeOf<ComponentProps<typeof Chat>['url']>().toEqualTypeOf<string | URL>();
  });

  it('keys TanStack queries with the key it was given', () => {
    const options = streamTextQueryOptions({ queryKey: ['summary', 1] as const, url: '/api' });
    expectTypeOf(options.queryKey).toExtend<readonly ['summary', 1]>();
  });
});
