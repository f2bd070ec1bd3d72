import type { StreamErrorKind } from '../transport/StreamError.js';

/**
 * A failure a decoder recognised as something more precise than a malformed event: a stream in
 * another format than the one asked for, or a resumed stream that is not the reply it continues.
 * `streamText` fails with its kind and message as they are, and does not retry it.
 */
export class DecoderError extends Error {
  override readonly name = 'DecoderError';

  /**
   * @param message - what went wrong, and what to do about it
   * @param kind - the kind of the `StreamError` it becomes
   * @param retryable - whether asking again (a new reply) may succeed
   */
  constructor(
    message: string,
    readonly kind: StreamErrorKind,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}
