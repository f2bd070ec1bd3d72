import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

const NOT_KEPT = 'The reply to resume is no longer kept on this server: it expired, or the server restarted.';

/** The answer to a resumption of a reply that is not kept: one final error, never a new answer. */
export async function* gone(message: string = NOT_KEPT): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
  yield goneEvent(message);
}

/** The `error` event of kind `gone`: the reply cannot be continued, and asking anew may help. */
export function goneEvent(message: string = NOT_KEPT): OutgoingServerSentEvent {
  return sluiceEvent({ type: 'error', kind: 'gone', message, retryable: true, relayed: false });
}
