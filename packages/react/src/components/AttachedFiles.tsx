import { useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';

/** A file waiting in the composer to be sent, with the address of its preview while it is shown. */
export interface AttachedFile {
  file: File;
  preview: string | undefined;
}

/** Props of {@link AttachedFiles}. */
export interface AttachedFilesProps {
  files: readonly AttachedFile[];
  onRemove(attached: AttachedFile): void;
  /** Why the files were refused (too large, of a type not taken), said under them. */
  problem?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/**
 * The files in the composer, images as thumbnails, each with a button that removes it, and why
 * they were refused if they were. Loaded
 * with the part views: it shows only once a person attaches something.
 */
export function AttachedFiles({ files, onRemove, problem, labels }: AttachedFilesProps) {
  const words = useChatLabels(labels);
  return (
    <>
      <ul className="sluice-attachments" aria-label={words.attachedFiles}>
        {files.map((attached, index) => (
          <li key={`${attached.file.name}-${index}`} className="sluice-attachment">
            {attached.preview === undefined ? null : <img src={attached.preview} alt="" />}
            <span className="sluice-attachment-name">{attached.file.name}</span>
            <button
              type="button"
              className="sluice-attachment-remove"
              onClick={() => onRemove(attached)}
              aria-label={words.remove(attached.file.name)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {problem === undefined ? null : (
        <p className="sluice-composer-problem" role="alert">
          {problem}
        </p>
      )}
    </>
  );
}
