import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import type { StreamError } from '../transport/StreamError.js';

/**
 * The `error` event that reports a failure to the client, so a stream never just closes (which
 * would look like a finished answer). A StreamError lends its kind or provider type and whether a
 * retry may help.
 */
export function errorEvent(error: unknown, id?: string): OutgoingServerSentEvent {
  const streamError = (typeof error === 'object' && error !== null ? error : {}) as Partial<StreamError>;
  const errorType = streamError.providerErrorType ?? streamError.kind;
  return sluiceEvent(
    {
      type: 'error',
      message: error instanceof Error ? error.message : String(error),
      ...(errorType === undefined ? {} : { errorType }),
      retryable: streamError.retryable ?? false,
    },
    id,
  );
}
