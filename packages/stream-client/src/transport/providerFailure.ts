import type { StreamPart } from '../providers/StreamPart.js';
import type { StreamErrorDetails } from './StreamError.js';

/**
 * The message and details of the {@link StreamError} for an error part the provider sent, before
 * the partial result is added: one wording wherever a stream of parts is read.
 */
export function providerFailure(part: Extract<StreamPart, { type: 'error' }>): {
  message: string;
  details: Omit<StreamErrorDetails, 'partial'>;
} {
  return {
    message: `The provider reported an error: ${part.message}`,
    details: {
      kind: 'provider',
      retryable: part.retryable,
      ...(part.errorType === undefined ? {} : { providerErrorType: part.errorType }),
    },
  };
}
