/** Why a file could not be attached. */
export type AttachmentErrorReason = 'too-large' | 'too-many' | 'type' | 'unreadable';

/**
 * Thrown (as a rejection) by `send` when a file cannot go with the message: too large, too many,
 * of a type the chat does not take, or unreadable. Nothing is sent and nothing changes, so the
 * person's text and files stay where they were.
 */
export class AttachmentError extends Error {
  override readonly name = 'AttachmentError';

  /**
   * @param message - what is wrong, in a sentence a person can read
   * @param reason - which limit it was
   * @param filename - the file, when it has a name
   */
  constructor(
    message: string,
    readonly reason: AttachmentErrorReason,
    readonly filename?: string,
  ) {
    super(message);
  }
}
