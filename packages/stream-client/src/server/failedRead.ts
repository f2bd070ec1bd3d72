import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/** A read of a kept reply that fails at its first step, as {@link ReplyStore.read} must. */
export function failedRead(error: Error): AsyncIterableIterator<OutgoingServerSentEvent> {
  let thrown = false;
  const finished = { done: true, value: undefined } as const;
  return {
    async next() {
      if (thrown) return finished;
      thrown = true;
      throw error;
    },
    async return() {
      thrown = true;
      return finished;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
