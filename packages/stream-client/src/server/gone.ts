import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/** The answer to a resumption of a reply that is not kept: one final error, never a new answer. */
export async function* gone(): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
  yield sluiceEvent({
    type: 'error',
    kind: 'gone',
    message: 'The reply to resume is no longer kept on this server: it expired, or the server restarted.',
    retryable: true,
    relayed: false,
  });
}
