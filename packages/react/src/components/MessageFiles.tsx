'use client';
import { memo, useContext } from 'react';
import type { FilePart } from '@sluice/stream-client';
import { ChatLabelsContext } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** Props of {@link MessageFiles}. */
export interface MessageFilesProps {
  files: readonly FilePart[];
  /**
   * Whether an image at an address may load (one the model names can carry the conversation out);
   * images held in the message itself (`data:` URLs) always show. By default none at an address do.
   */
  allowImage?: ((src: string) => boolean) | undefined;
  className?: string | undefined;
}

/**
 * A message's files: images as pictures, other files by name, each a link that saves it. Nothing
 * is opened in the page: a file from the model never runs as a document here.
 */
export const MessageFiles = memo(function MessageFiles({ files, allowImage, className }: MessageFilesProps) {
  const words = useContext(ChatLabelsContext);
  if (files.length === 0) return null;
  return (
    <ul className={withClassName('sluice-files', className)} aria-label={words.attachments ?? 'Attachments'}>
      {files.map((file) => {
        const name = file.filename ?? (file.mediaType.startsWith('image/') ? 'Image' : 'File');
        const inline = file.url.startsWith('data:');
        const shows = file.mediaType.startsWith('image/') && (inline || allowImage?.(file.url) === true);
        return (
          <li key={file.id} className="sluice-file" data-media-type={file.mediaType}>
            {shows ? <img src={file.url} alt={name} loading="lazy" /> : null}
            {inline ? (
              <a href={file.url} download={name} className="sluice-file-name">
                {name}
              </a>
            ) : (
              <span className="sluice-file-name">{name}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
});
