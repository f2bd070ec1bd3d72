/** Why an event stream could not be parsed. */
export type SSEParseErrorKind =
  /** One event (or one line) grew past `maxEventBytes` before its blank line arrived. */
  | 'event-too-large'
  /** `feed()` was called after `end()`, or after an earlier error ended the stream. */
  | 'parser-ended';

/**
 * The one error a Server-Sent Events parser raises. Everything else the standard calls malformed
 * (unknown fields, a non-numeric `retry:`, a NUL in an `id:`) is ignored exactly as a browser would.
 */
export class SSEParseError extends Error {
  override readonly name = 'SSEParseError';
  /** What went wrong, for code to branch on. */
  readonly kind: SSEParseErrorKind;
  /** For `event-too-large`: the limit that was exceeded, in UTF-16 code units of decoded text. */
  readonly limit: number | undefined;

  /** @param kind - what went wrong; @param message - a sentence for people; @param limit - the limit exceeded, if any */
  constructor(kind: SSEParseErrorKind, message: string, limit?: number) {
    super(message);
    this.kind = kind;
    this.limit = limit;
  }
}
