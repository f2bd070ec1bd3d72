import type { ChatMessage, FilePart, SourcePart } from '@sluice/stream-client';
import { MessageFiles } from './MessageFiles.js';
import { Sources } from './Sources.js';

/** Props of {@link MessageFooter}. */
export interface MessageFooterProps {
  message: ChatMessage;
  /** Which images may load (the markdown policy's). */
  allowImage?: ((src: string) => boolean) | undefined;
}

/**
 * What goes under a message's parts: its files, and an answer's sources. It loads with the part
 * views, so a chat whose replies are plain text ships neither.
 */
export function MessageFooter({ message, allowImage }: MessageFooterProps) {
  const files = message.parts.filter((part): part is FilePart => part.type === 'file');
  const sources = message.parts.filter((part): part is SourcePart => part.type === 'source');
  return (
    <>
      <MessageFiles files={files} allowImage={allowImage} />
      {message.role === 'assistant' ? <Sources sources={sources} idPrefix={sourcePrefix(message)} /> : null}
    </>
  );
}

/** The prefix of a message's source ids, which its citation markers link to. */
export function sourcePrefix(message: ChatMessage): string {
  return `${message.id}-source-`;
}
