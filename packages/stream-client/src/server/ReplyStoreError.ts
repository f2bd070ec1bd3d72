/** What went wrong with a kept reply. */
export type ReplyStoreErrorKind =
  /** The store cannot be reached or written now. */
  | 'unavailable'
  /** The reply is not kept: it expired, it never existed, or it was kept by a store now gone. */
  | 'gone'
  /** The process producing the reply died before the reply's end. */
  | 'lost';

/**
 * The failure of a {@link ReplyStore}: typed, so the server answers each kind in its own way (a
 * 503 before a reply starts, a final `error` event during one) and never with a hang.
 */
export class ReplyStoreError extends Error {
  override readonly name = 'ReplyStoreError';
  /** What went wrong. */
  readonly kind: ReplyStoreErrorKind;

  /**
   * @param kind - what went wrong
   * @param message - a sentence for logs
   * @param options - the underlying error, as `cause`
   */
  constructor(kind: ReplyStoreErrorKind, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.kind = kind;
  }

  /**
   * Whether a value is a `ReplyStoreError`, also one made by another copy of this package (a
   * store package that brought its own), which `instanceof` would not recognise.
   */
  static is(value: unknown): value is ReplyStoreError {
    if (value instanceof ReplyStoreError) return true;
    if (!(value instanceof Error) || value.name !== 'ReplyStoreError') return false;
    const kind = (value as { kind?: unknown }).kind;
    return kind === 'unavailable' || kind === 'gone' || kind === 'lost';
  }
}
