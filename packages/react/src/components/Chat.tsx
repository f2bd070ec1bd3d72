'use client';
import { useCallback } from 'react';
import type { StreamError } from '@sluice/stream-client';
import { useChat } from '../hooks/useChat.js';
import type { UseChatOptions } from '../hooks/useChat.js';
import type { MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import { ChatMessageView } from './ChatMessageView.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { withClassName } from './withClassName.js';

/** Props of {@link Chat}: `useChat`'s options, and how the conversation looks. */
export interface ChatProps extends UseChatOptions {
  className?: string;
  placeholder?: string;
  /** Shows time to first token, tokens per second and cost under each reply. */
  showMetrics?: boolean;
  /** Which images may load, and how code is highlighted. */
  markdown?: MarkdownPolicy;
  /** The sentence a person reads for a failure (to translate them, say); `describeStreamError` by default. */
  describeError?: (error: StreamError) => string;
}

/**
 * A whole chat in one element: `<Chat url="/api/chat" />`, talking to `createChatHandler` on the
 * server. It wires `useChat`, `MessageList`, `StreamingMessage` and `Composer` together; a failed
 * reply keeps its text and says why in one sentence, with Retry when trying again can help.
 */
export function Chat({ className, placeholder, showMetrics = false, markdown, describeError, ...options }: ChatProps) {
  const chat = useChat(options);
  const busy = chat.status === 'connecting' || chat.status === 'streaming';
  const last = chat.messages.at(-1);
  const { regenerate } = chat;
  const retry = useCallback(() => void regenerate().catch(() => {}), [regenerate]);
  return (
    <section className={withClassName('sluice-chat', className)} aria-busy={busy || undefined}>
      <MessageList contentKey={last?.content}>
        {chat.messages.map((message) => (
          <ChatMessageView
            key={message.id}
            message={message}
            showMetrics={showMetrics}
            markdown={markdown}
            // Only a failed reply reads it: an inline function then re-renders those, not every message.
            describeError={message.status === 'failed' ? describeError : undefined}
            onRetry={message === last && !busy ? retry : undefined}
          />
        ))}
        {chat.status === 'connecting' ? (
          <p className="sluice-thinking" role="status">
            Thinking…
          </p>
        ) : null}
      </MessageList>
      <Composer
        onSend={chat.send}
        onStop={chat.stop}
        streaming={busy}
        {...(placeholder === undefined ? {} : { placeholder })}
      />
    </section>
  );
}
