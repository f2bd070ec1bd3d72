'use client';
import { useCallback, useEffect, useMemo } from 'react';
import type { StreamError } from '@sluice/stream-client';
import { useChat } from '../hooks/useChat.js';
import type { UseChatOptions } from '../hooks/useChat.js';
import { loadOpenBlocks } from '../markdown/MarkdownBlocks.js';
import type { MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import { ChatLabelsContext, useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import type { DataRenderer, ToolRenderer } from './ChatMessageView.js';
import { Composer } from './Composer.js';
import { MessageList } from './MessageList.js';
import { MESSAGES_PER_GROUP, MessageGroup } from './MessageGroup.js';
import type { MessageViews } from './MessageGroup.js';
import { loadPartViews } from './usePartViews.js';
import { withClassName } from './withClassName.js';

/** Props of {@link Chat}: `useChat`'s options, and how the conversation looks. */
export interface ChatProps extends UseChatOptions {
  className?: string | undefined;
  placeholder?: string | undefined;
  /** Shows time to first token, tokens per second and cost under each reply. */
  showMetrics?: boolean | undefined;
  /** Which images may load, how code is highlighted, and the markdown plugins (math, diagrams, pacing...). */
  markdown?: MarkdownPolicy | undefined;
  /** The sentence a person reads for a failure (to translate them, say); `describeStreamError` by default. */
  describeError?: ((error: StreamError) => string) | undefined;
  /** Renderers of tool calls by tool name (generative UI), in place of the default `ToolCall` view. */
  renderTool?: Readonly<Record<string, ToolRenderer>> | undefined;
  /** Renderers of the data parts the server sends, by name; data without one is not shown. */
  renderData?: Readonly<Record<string, DataRenderer>> | undefined;
  /**
   * Whether people may attach files (images, PDFs, text): by a button, a paste or a drop. On by
   * default, within `attachments`' limits when it is an object (`useChat`'s option).
   */
  allowAttachments?: boolean | undefined;
  /** The words the chat shows (Send, Stop, Retry, Thinking…): to translate them or say them your way. */
  labels?: Partial<ChatLabels> | undefined;
}

/** The media types the file picker offers when the chat's `attachments` limits name none. */
const defaultLimits = { accept: ['image/*', 'application/pdf', 'text/*', 'application/json'] };

/**
 * A whole chat in one element: `<Chat url="/api/chat" />`, talking to `createChatHandler` on the
 * server. It wires `useChat`, `MessageList`, `StreamingMessage` and `Composer` together; a failed
 * reply keeps its text and says why in one sentence, with Retry when trying again can help.
 */
export function Chat({
  className,
  placeholder,
  showMetrics = false,
  markdown,
  describeError,
  renderTool,
  renderData,
  allowAttachments = true,
  labels,
  ...options
}: ChatProps) {
  const chat = useChat(options);
  const words = useChatLabels(labels);
  const busy = chat.status === 'connecting' || chat.status === 'streaming';
  const last = chat.messages.at(-1);
  const { regenerate, send } = chat;
  const retry = useCallback(() => void regenerate().catch(() => {}), [regenerate]);
  // The views of tool calls, sources and files, and the follower of a long streaming block, load
  // while the chat starts: a reply that needs them then streams without waiting for their code.
  useEffect(() => {
    void loadPartViews();
    void loadOpenBlocks();
  }, []);
  const views = useMemo<MessageViews>(
    () => ({ showMetrics, markdown, describeError, onToolApproval: chat.addToolApproval, renderTool, renderData }),
    [showMetrics, markdown, describeError, chat.addToolApproval, renderTool, renderData],
  );
  const { messages } = chat;
  // Only the last reply, failed, offers Retry: a settled reply's props stay the same as the chat goes on.
  const onRetry = last?.status === 'failed' && !busy ? retry : undefined;
  const groups = [];
  for (let start = 0; start < messages.length; start += MESSAGES_PER_GROUP) {
    groups.push(
      <MessageGroup
        key={start}
        messages={messages}
        start={start}
        end={Math.min(messages.length, start + MESSAGES_PER_GROUP)}
        views={views}
        // Every group renders once when it changes (a reply fails, or is retried); only the last message takes it.
        onRetry={onRetry}
      />,
    );
  }
  const sendWithFiles = useCallback(
    (text: string, files: readonly File[]) => send(files.length === 0 ? text : { text, files }),
    [send],
  );
  return (
    <ChatLabelsContext.Provider value={words}>
      <section className={withClassName('sluice-chat', className)} aria-busy={busy || undefined}>
        {/* The last message's identity changes with anything in it: text, a tool's state, a source. */}
        <MessageList contentKey={last}>
          {groups}
          {chat.status === 'connecting' ? (
            <p className="sluice-thinking" role="status">
              {words.thinking}
            </p>
          ) : null}
        </MessageList>
        <Composer
          onSend={sendWithFiles}
          onStop={chat.stop}
          streaming={busy}
          placeholder={placeholder}
          // The app's limits, or the default types: either way the same object from one render to the next.
          attachments={
            allowAttachments && (options.attachments?.accept === undefined ? defaultLimits : options.attachments)
          }
        />
      </section>
    </ChatLabelsContext.Provider>
  );
}
