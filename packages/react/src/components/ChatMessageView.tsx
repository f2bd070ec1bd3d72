'use client';
import { memo } from 'react';
import { describeStreamError } from '@sluice/stream-client';
import type { ChatMessage, StreamError } from '@sluice/stream-client';
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
  /**
   * Offered as a Retry button under a failed reply whose error may pass (`error.retryable`), or
   * that the server can no longer continue (kind `gone`), which asking anew may mend.
   */
  onRetry?: (() => void) | undefined;
  /** The sentence a person reads for a failure; `describeStreamError` by default. */
  describeError?: ((error: StreamError) => string) | undefined;
  className?: string;
}

const roleNames = { user: 'You', assistant: 'Assistant', system: 'System' } as const;

/**
 * One message: the user's as plain text, the assistant's as streaming markdown, with its state
 * (stopped, failed) said in words. A failure is one plain sentence, with the technical detail a
 * click away and Retry when trying again can help. Memoised: while another message streams, this
 * one does not render.
 */
export const ChatMessageView = memo(function ChatMessageView({
  message,
  showMetrics = false,
  markdown,
  onRetry,
  describeError = describeStreamError,
  className,
}: ChatMessageViewProps) {
  const classes = withClassName(`sluice-chat-message sluice-chat-message-${message.role}`, className);
  const error = message.status === 'failed' ? message.error : undefined;
  return (
    <article className={classes} data-status={message.status} aria-label={roleNames[message.role]}>
      {message.role === 'assistant' ? (
        <StreamingMessage {...markdown} content={message.content} streaming={message.status === 'streaming'} />
      ) : (
        <div className="sluice-user-text">{message.content}</div>
      )}
      {message.status === 'stopped' ? <p className="sluice-note">Stopped</p> : null}
      {message.status === 'failed' ? (
        <div className="sluice-note sluice-note-error" role="alert">
          <span>{error === undefined ? 'The answer did not finish.' : describeError(error)}</span>
          {error !== undefined && error.message !== '' ? (
            <details className="sluice-error-details">
              <summary>Details</summary>
              <code>{error.message}</code>
            </details>
          ) : null}
          {onRetry !== undefined && (error?.retryable === true || error?.kind === 'gone') ? (
            <button type="button" className="sluice-retry" onClick={onRetry}>
              Retry
            </button>
          ) : null}
        </div>
      ) : null}
      {showMetrics && message.role === 'assistant' && message.metadata?.metrics !== undefined ? (
        <MessageMetrics metrics={message.metadata.metrics} cost={message.metadata.cost} />
      ) : null}
    </article>
  );
});
