/** Thrown (as a rejection) by `send` and `regenerate` while a reply is still streaming. */
export class ChatBusyError extends Error {
  override readonly name = 'ChatBusyError';

  constructor() {
    super('A reply is still streaming: stop it, or wait for it to finish, before sending another message.');
  }
}
