'use client';
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
}

/**
 * A whole chat in one element: `<Chat url="/api/chat" provider="openai" />`. It wires `useChat`,
 * `MessageList`, `StreamingMessage` and `Composer` together, with an error banner and Retry.
 */
export function Chat({ className, placeholder, showMetrics = false, markdown, ...options }: ChatProps) {
  const chat = useChat(options);
  const busy = chat.status === 'connecting' || chat.status === 'streaming';
  const last = chat.messages.at(-1);
  return (
    <section className={withClassName('sluice-chat', className)} aria-busy={busy || undefined}>
      <MessageList contentKey={last?.content}>
        {chat.messages.map((message) => (
          <ChatMessageView key={message.id} message={message} showMetrics={showMetrics} markdown={markdown} />
        ))}
        {chat.status === 'connecting' ? (
          <p className="sluice-thinking" role="status">
            Thinking…
          </p>
        ) : null}
      </MessageList>
      {chat.status === 'error' && chat.error !== undefined ? (
        <div className="sluice-error" role="alert">
          <span>{chat.error.message}</span>
          <button type="button" onClick={() => void chat.regenerate().catch(() => {})}>
            Retry
          </button>
        </div>
      ) : null}
      <Composer
        onSend={chat.send}
        onStop={chat.stop}
        streaming={busy}
        {...(placeholder === undefined ? {} : { placeholder })}
      />
    </section>
  );
}
