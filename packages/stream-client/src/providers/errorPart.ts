import { isRetryableProviderError } from './isRetryableProviderError.js';
import { read } from './read.js';
import type { StreamPart } from './StreamPart.js';

/** How much of a message that is not text is quoted in the error's own message. */
const quotedLength = 80;

/**
 * An error part from a provider's message and error type or code, retryable when the type says so.
 * Both are read as the network gave them: a message that is not a string is described (quoted as
 * JSON, never coerced: an object's `toString` may be anything), and the type is the first of
 * `errorTypes` that is a string or a number (a provider's type, then its code), the others left out.
 */
export function errorPart(message: unknown, ...errorTypes: unknown[]): StreamPart {
  let type: string | undefined;
  for (const candidate of errorTypes) {
    type =
      read.string(candidate) ??
      (typeof candidate === 'number' && Number.isFinite(candidate) ? String(candidate) : undefined);
    if (type !== undefined) break;
  }
  return {
    type: 'error',
    message: read.string(message) ?? describe(message),
    ...(type === undefined ? {} : { errorType: type }),
    retryable: isRetryableProviderError(type),
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
