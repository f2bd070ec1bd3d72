'use client';
import { memo } from 'react';
import type { ChatMessage } from '@sluice/stream-client';
import type { MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import { MessageMetrics } from './MessageMetrics.js';
import { StreamingMessage } from './StreamingMessage.js';
import { withClassName } from './withClassName.js';

/** Props of {@link ChatMessageView}. */
export interface ChatMessageViewProps {
  message: ChatMessage;
  /** Shows time to first token, tokens per second and cost under finished replies. */
  showMetrics?: boolean;
  markdown?: MarkdownPolicy | undefined;
  className?: string;
}

const roleNames = { user: 'You', assistant: 'Assistant', system: 'System' } as const;

/**
 * One message: the user's as plain text, the assistant's as streaming markdown, with its state
 * (stopped, failed) said in words. Memoised: while another message streams, this one does not render.
 */
export const ChatMessageView = memo(function ChatMessageView({
  message,
  showMetrics = false,
  markdown,
  className,
}: ChatMessageViewProps) {
  const classes = withClassName(`sluice-chat-message sluice-chat-message-${message.role}`, className);
  return (
    <article className={classes} data-status={message.status} aria-label={roleNames[message.role]}>
      {message.role === 'assistant' ? (
        <StreamingMessage {...markdown} content={message.content} streaming={message.status === 'streaming'} />
      ) : (
        <div className="sluice-user-text">{message.content}</div>
      )}
      {message.status === 'stopped' ? <p className="sluice-note">Stopped</p> : null}
      {message.status === 'failed' ? (
        <p className="sluice-note sluice-note-error">Failed{message.error ? `: ${message.error.message}` : ''}</p>
      ) : null}
      {showMetrics && message.role === 'assistant' && message.metrics !== undefined ? (
        <MessageMetrics metrics={message.metrics} cost={message.cost} />
      ) : null}
    </article>
  );
});
