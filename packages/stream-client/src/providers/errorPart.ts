import { isRetryableProviderError } from './isRetryableProviderError.js';
import { read } from './read.js';
import type { StreamPart } from './StreamPart.js';

/** How much of a message that is not text is quoted in the error's own message. */
const quotedLength = 80;

/**
 * An error part from a provider's message and error type or code, retryable when the type says so.
 * Both are read as the network gave them: a message that is not a string is described (quoted as
 * JSON, never coerced: an object's `toString` may be anything), and the type is the first of
 * `errorTypes` that is a string or a number (a provider's type, then its code); it is retryable
 * when any of them names a passing condition.
 */
export function errorPart(message: unknown, ...errorTypes: unknown[]): StreamPart {
  const types = errorTypes
    .map((candidate) =>
      typeof candidate === 'number' && Number.isFinite(candidate) ? String(candidate) : read.string(candidate),
    )
    .filter((type) => type !== undefined);
  const type = types[0];
  return {
    type: 'error',
    message: read.string(message) ?? describe(message),
    ...(type === undefined ? {} : { errorType: type }),
    // OpenAI names a rate limit in the code, beside a type of `tokens` or `requests`: either may say it.
    retryable: types.some(isRetryableProviderError),
  };
}

/** Words for a message that is missing or not text, so the error still reads as a sentence. */
function describe(message: unknown): string {
  if (message === undefined || message === null || message === '') return 'no message was given.';
  // JSON.parse made it, so JSON.stringify can write it back; the event's size bounds the work.
  const json = JSON.stringify(message) ?? typeof message;
  const quoted = json.length > quotedLength ? `${json.slice(0, quotedLength)}…` : json;
  return `its message was not text (${quoted}).`;
}
