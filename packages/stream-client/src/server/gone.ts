import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { replyEndingEvent } from './replyEndingEvent.js';

/** The answer to a resumption of a reply that is not kept: one final error, never a new answer. */
export async function* gone(): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
  yield replyEndingEvent('gone');
}
