import type { ChatMessage, FilePart, SourcePart } from '@sluice/stream-client';
import { useChatLabels } from './ChatLabels.js';
import type { ChatMessageViewProps } from './ChatMessageView.js';
import { FailureNote } from './FailureNote.js';
import { MessageFiles } from './MessageFiles.js';
import { MessageMetrics } from './MessageMetrics.js';
import { Sources } from './Sources.js';

/** Props of {@link MessageFooter}: the message, and how its view shows it. */
export interface MessageFooterProps extends Pick<
  ChatMessageViewProps,
  'showMetrics' | 'onRetry' | 'describeError' | 'labels'
> {
  message: ChatMessage;
  /** Which images may load (the markdown policy's). */
  allowImage?: ((src: string) => boolean) | undefined;
}

/**
 * What goes under a message's parts: its files, an answer's sources, that it stopped or why it
 * failed (with Retry when it can help) and its metrics. It loads with the part views, so a chat
 * whose replies are plain text ships none of them; until then the message says only that it
 * stopped or failed.
 */
export function MessageFooter({
  message,
  allowImage,
  showMetrics,
  onRetry,
  describeError,
  labels,
}: MessageFooterProps) {
  const files = message.parts.filter((part): part is FilePart => part.type === 'file');
  const sources = message.parts.filter((part): part is SourcePart => part.type === 'source');
  const words = useChatLabels(labels);
  const metrics = message.role === 'assistant' && showMetrics === true ? message.metadata?.metrics : undefined;
  return (
    <>
      <MessageFiles files={files} allowImage={allowImage} />
      {message.role === 'assistant' ? <Sources sources={sources} idPrefix={sourcePrefix(message)} /> : null}
      {message.status === 'stopped' ? <p className="sluice-note">{words.stopped}</p> : null}
      {message.status === 'failed' ? (
        <FailureNote error={message.error} describeError={describeError} onRetry={onRetry} labels={labels} />
      ) : null}
      {metrics === undefined ? null : <MessageMetrics metrics={metrics} cost={message.metadata?.cost} />}
    </>
  );
}

/** The prefix of a message's source ids, which its citation markers link to. */
export function sourcePrefix(message: ChatMessage): string {
  return `${message.id}-source-`;
}
