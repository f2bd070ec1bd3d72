import type { StreamError } from '@sluice/stream-client';
import { describeStreamError } from '@sluice/stream-client';
import { useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';

/** Props of {@link FailureNote}. */
export interface FailureNoteProps {
  /** Why the reply failed, when it is known. */
  error: StreamError | undefined;
  /** The sentence shown for the error; `describeStreamError` by default. */
  describeError?: ((error: StreamError) => string) | undefined;
  /** Offered as Retry when trying again can help: the error is retryable, or the reply is gone. */
  onRetry?: (() => void) | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/**
 * Under a failed reply: one plain sentence, the technical detail on demand, and Retry only when it
 * can help. Loaded with the part views, since most chats never show it.
 */
export function FailureNote({ error, describeError = describeStreamError, onRetry, labels }: FailureNoteProps) {
  const words = useChatLabels(labels);
  return (
    <div className="sluice-note sluice-note-error" role="alert">
      <span>{error === undefined ? words.failed : describeError(error)}</span>
      {error !== undefined && error.message !== '' ? (
        <details className="sluice-error-details">
          <summary>{words.details}</summary>
          <code>{error.message}</code>
        </details>
      ) : null}
      {onRetry !== undefined && (error?.retryable === true || error?.kind === 'gone') ? (
        <button type="button" className="sluice-retry" onClick={onRetry}>
          {words.retry}
        </button>
      ) : null}
    </div>
  );
}
