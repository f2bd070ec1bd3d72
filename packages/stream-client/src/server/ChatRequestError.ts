/**
 * A request the chat handler answers with an HTTP error and a JSON body, not a stream: bad input,
 * a caller who may not chat, a server that is not set up. Throw one from `authorize` or
 * `prepareRequest` to refuse a request with your own status and message; the client shows the
 * message as detail under a plain sentence.
 *
 * The body is `{ "error": { "message", "type", "retryable" } }`, the shape `streamText` reads.
 *
 * @example
 * ```ts
 * prepareRequest(chat) {
 *   if (chat.messages.length > 200) throw new ChatRequestError(400, 'This conversation is too long.', 'too_many_messages');
 *   return chat;
 * }
 * ```
 */
export class ChatRequestError extends Error {
  override readonly name = 'ChatRequestError';

  /**
   * @param status - the HTTP status to answer with (4xx for the caller's fault, 5xx for the server's)
   * @param message - what was wrong, for the developer and the "details" a person may open
   * @param type - a machine-readable word for it (`invalid_request`, `unauthorized`...)
   * @param retryable - whether sending the same request again may succeed; by default, for 408, 429 and 5xx
   */
  constructor(
    readonly status: number,
    message: string,
    readonly type: string = status === 401 ? 'unauthorized' : status >= 500 ? 'server_error' : 'invalid_request',
    readonly retryable: boolean = status === 408 || status === 429 || status >= 500,
  ) {
    super(message);
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`ChatRequestError needs an HTTP error status (400 to 599), not ${status}.`);
    }
  }

  /** The JSON body of the response. */
  toJSON(): { error: { message: string; type: string; retryable: boolean } } {
    return { error: { message: this.message, type: this.type, retryable: this.retryable } };
  }
}
