'use client';
import { memo } from 'react';
import type { ChatMessage } from '@sluice/stream-client';
import { ChatMessageView } from './ChatMessageView.js';
import type { ChatMessageViewProps } from './ChatMessageView.js';

/** What every message of a chat is rendered with, besides itself: one object while none of it changes. */
export type MessageViews = Pick<
  ChatMessageViewProps,
  'showMetrics' | 'markdown' | 'describeError' | 'onToolApproval' | 'renderTool' | 'renderData'
>;

/** How many messages a group holds. */
export const MESSAGES_PER_GROUP = 32;

/** Props of {@link MessageGroup}. */
interface MessageGroupProps {
  /** The whole conversation, of which the group shows the messages from `start` to before `end`. */
  messages: readonly ChatMessage[];
  start: number;
  end: number;
  views: MessageViews;
  /** Retry for the conversation's last message, given to it if this group holds it. */
  onRetry: (() => void) | undefined;
}

/**
 * A run of consecutive messages in one box. Messages belong to a group by their place in the
 * conversation, so one never moves to another group (which would mount it again). A group renders
 * only when one of its messages changed: a reply streaming after 2,000 messages compares about 60
 * groups each frame, not 2,000 messages, and the browser skips a group off the screen as one box
 * (styles.css), not 32.
 */
export const MessageGroup = memo(
  function MessageGroup({ messages, start, end, views, onRetry }: MessageGroupProps) {
    const shown = [];
    for (let index = start; index < end; index++) {
      const message = messages[index]!;
      shown.push(
        <ChatMessageView
          key={message.id}
          {...views}
          message={message}
          // Only a failed reply reads it: a new function (an inline one, on the page's re-render) then
          // renders those again, not every message; every group does render, once.
          describeError={message.status === 'failed' ? views.describeError : undefined}
          onRetry={index === messages.length - 1 ? onRetry : undefined}
        />,
      );
    }
    return <div className="sluice-message-group">{shown}</div>;
  },
  (before, after) => {
    if (before.views !== after.views || before.onRetry !== after.onRetry || before.end !== after.end) return false;
    for (let index = after.start; index < after.end; index++) {
      if (before.messages[index] !== after.messages[index]) return false;
    }
    return true;
  },
);
