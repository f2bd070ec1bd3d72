'use client';
import { memo } from 'react';
import type { ReactNode } from 'react';
import type { ChatMessage, DataPart, MessagePart, StreamError, ToolCallPart } from '@sluice/stream-client';
import type { MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import type { PartViewProps } from './PartView.js';
import { StreamingMessage } from './StreamingMessage.js';
import type { ToolCallActions } from './ToolCall.js';
import { usePartViews } from './usePartViews.js';
import type { PartViewModule } from './usePartViews.js';
import { useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** Renders one tool's calls your own way (generative UI): given the call and what a person can do with it. */
export type ToolRenderer = (part: ToolCallPart, actions: ToolCallActions) => ReactNode;

/** Renders one kind of data part the server sends (`data-<name>`). */
export type DataRenderer = (part: DataPart) => ReactNode;

/** Props of {@link ChatMessageView}. */
export interface ChatMessageViewProps {
  message: ChatMessage;
  /** Shows time to first token, tokens per second and cost under finished replies. */
  showMetrics?: boolean | undefined;
  markdown?: MarkdownPolicy | undefined;
  /**
   * Offered as a Retry button under a failed reply whose error may pass (`error.retryable`), or
   * that the server can no longer continue (kind `gone`), which asking anew may mend.
   */
  onRetry?: (() => void) | undefined;
  /** The sentence a person reads for a failure; `describeStreamError` by default. */
  describeError?: ((error: StreamError) => string) | undefined;
  /** Answers a tool call that waits for approval (`useChat`'s `addToolApproval`). */
  onToolApproval?: ((toolCallId: string, approved: boolean, reason?: string) => void) | undefined;
  /** Renderers of tool calls by tool name, in place of the default `ToolCall` view. */
  renderTool?: Readonly<Record<string, ToolRenderer>> | undefined;
  /** Renderers of data parts by name (`progress` for `data-progress`); data without one is not shown. */
  renderData?: Readonly<Record<string, DataRenderer>> | undefined;
  className?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/**
 * One message: the user's text and attachments, or the assistant's parts in order (reasoning,
 * markdown text, tool calls with Approve and Deny, the provider's own tools, files, data), its
 * sources under it with a marker after the text each supports, and its state (stopped, failed)
 * said in words. A failure is one plain sentence, with the technical detail a click away and
 * Retry when trying again can help. Memoised: while another message streams, this one does not
 * render, and within the streaming one only the parts that changed do.
 */
export const ChatMessageView = memo(function ChatMessageView({
  message,
  showMetrics = false,
  markdown,
  onRetry,
  describeError,
  onToolApproval,
  renderTool,
  renderData,
  className,
  labels,
}: ChatMessageViewProps) {
  const words = useChatLabels(labels);
  const classes = withClassName(`sluice-chat-message sluice-chat-message-${message.role}`, className);
  // Loaded once the message needs them: every part but text has its view there.
  const views = usePartViews(
    showMetrics ||
      message.status === 'failed' ||
      message.parts.some((part) => part.type !== 'text' && part.type !== 'step-start'),
  );
  return (
    <article
      className={classes}
      data-status={message.status}
      aria-label={words[message.role === 'user' ? 'you' : message.role]}
    >
      {message.role === 'assistant' ? (
        assistantParts(message, views, { markdown, onToolApproval, renderTool, renderData })
      ) : message.content === '' ? null : (
        <div className="sluice-user-text">{message.content}</div>
      )}
      {views !== undefined ? (
        <views.MessageFooter
          message={message}
          allowImage={markdown?.allowImage}
          showMetrics={showMetrics}
          onRetry={onRetry}
          describeError={describeError}
          labels={labels}
        />
      ) : message.status === 'stopped' || message.status === 'failed' ? (
        // Until the views are here (Chat loads them as it mounts), the plain word.
        <p className={message.status === 'failed' ? 'sluice-note sluice-note-error' : 'sluice-note'}>
          {words[message.status]}
        </p>
      ) : null}
    </article>
  );
});

/** What every part of a message renders with: the props a `PartView` takes besides its part. */
type PartOptions = Omit<PartViewProps, 'part'>;

/**
 * An assistant message's parts as elements, in order; files and sources go under it. `views` are
 * those of reasoning, tool calls, server tools, sources and files, once loaded.
 */
function assistantParts(message: ChatMessage, views: PartViewModule | undefined, options: PartOptions): ReactNode[] {
  const { markdown } = options;
  const streaming = message.status === 'streaming';
  // A reply cut short keeps its last text as it was shown while it streamed.
  const cutShort = message.status === 'stopped' || message.status === 'failed';
  const nodes: ReactNode[] = [];
  let lastText = -1;
  message.parts.forEach((part, index) => {
    if (part.type === 'text') lastText = index;
  });
  // A reply that has no parts yet (saved before parts existed) still shows its text.
  if (lastText === -1 && message.content !== '') {
    nodes.push(
      <StreamingMessage
        key="content"
        {...markdown}
        content={message.content}
        streaming={streaming}
        unfinished={cutShort}
      />,
    );
  }
  message.parts.forEach((part, index) => {
    const node = partView(part, index === lastText && streaming, index === lastText && cutShort, views, options);
    if (node === null) return;
    nodes.push(node);
    // After each text, the numbers of the sources that support it.
    if (part.type === 'text' && views !== undefined)
      nodes.push(<views.CitationMarkers key={`${part.id}-citations`} textPartId={part.id} message={message} />);
  });
  return nodes;
}

function partView(
  part: MessagePart,
  live: boolean,
  cutShort: boolean,
  views: PartViewModule | undefined,
  options: PartOptions,
): ReactNode {
  if (part.type === 'text')
    return (
      <StreamingMessage
        key={part.id}
        {...options.markdown}
        content={part.text}
        streaming={live}
        unfinished={cutShort}
      />
    );
  return views === undefined ? null : <views.PartView key={part.id} part={part} {...options} />;
}
