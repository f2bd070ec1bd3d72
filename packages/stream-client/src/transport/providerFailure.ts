import type { StreamPart } from '../providers/StreamPart.js';
import type { StreamErrorDetails } from './StreamError.js';

/**
 * The message and details of the {@link StreamError} for an error part, before the partial result
 * is added: one wording wherever a stream of parts is read. A provider's own error is prefixed
 * once, here; a failure relayed by a Sluice server already carries its whole message and its kind,
 * and is kept as it is.
 */
export function providerFailure(part: Extract<StreamPart, { type: 'error' }>): {
  message: string;
  details: Omit<StreamErrorDetails, 'partial'>;
} {
  const details: Omit<StreamErrorDetails, 'partial'> = {
    kind: part.kind ?? 'provider',
    retryable: part.retryable,
  };
  if (part.errorType !== undefined) details.providerErrorType = part.errorType;
  if (part.kind === undefined) return { message: `The provider reported an error: ${part.message}`, details };
  details.relayed = part.relayed ?? true;
  if (part.status !== undefined) details.status = part.status;
  if (part.retryAfterMs !== undefined) details.retryAfterMs = part.retryAfterMs;
  return { message: part.message, details };
}
