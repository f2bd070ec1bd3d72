import { isRetryableProviderError } from './isRetryableProviderError.js';
import type { StreamPart } from './StreamPart.js';

/** An error part from a provider's message and error type or code, retryable when the type says so. */
export function errorPart(message: string | undefined, errorType: string | undefined): StreamPart {
  return {
    type: 'error',
    message: message ?? 'The provider reported an error.',
    ...(errorType === undefined ? {} : { errorType }),
    retryable: isRetryableProviderError(errorType),
  };
}
