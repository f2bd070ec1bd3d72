import { isRetryableProviderError } from './isRetryableProviderError.js';
import { read } from './read.js';
import type { StreamPart } from './StreamPart.js';

/**
 * An error part from a provider's message and error type or code, retryable when the type says so.
 * Both are read as the network gave them: a message that is not a string is replaced, and a type
 * or code that is neither a string nor a number is left out.
 */
export function errorPart(message: unknown, errorType: unknown): StreamPart {
  const type =
    read.string(errorType) ??
    (typeof errorType === 'number' && Number.isFinite(errorType) ? String(errorType) : undefined);
  return {
    type: 'error',
    message: read.string(message) ?? 'The provider reported an error.',
    ...(type === undefined ? {} : { errorType: type }),
    retryable: isRetryableProviderError(type),
  };
}
