import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import type { ReplyStopReason } from './ReplyStore.js';
import type { ReplyStoreErrorKind } from './ReplyStoreError.js';

/**
 * The last event of a reply whose producer was stopped, or that could not be read: what a
 * follower (another tab, a reconnection) is told, so that it never just ends, which would look
 * like a whole answer. Each is final: the client does not try it again on its own.
 *
 * @param reason - why the producer stopped, or what went wrong reading the reply
 */
export function replyEndingEvent(reason: ReplyStopReason | ReplyStoreErrorKind): OutgoingServerSentEvent {
  switch (reason) {
    case 'stopped':
      // A person pressed Stop: a follower shows the reply as stopped, as the tab that stopped it does.
      return ending('aborted', 'The reply was stopped.', false, 'stopped');
    case 'abandoned':
      return ending('gone', 'The reply was stopped before its end, so it cannot be continued.', true, 'abandoned');
    case 'store-lost':
      return ending(
        'gone',
        'The server lost its reply store mid-answer, so it stopped the reply: it could no longer be resumed or stopped from elsewhere.',
        true,
        'store_unavailable',
      );
    case 'lost':
      return ending(
        'gone',
        'The server producing this reply stopped (it crashed, or was restarted or redeployed) before the reply’s end.',
        false,
        'producer_lost',
      );
    case 'unavailable':
      return ending(
        'gone',
        'The server cannot reach its reply store, so the reply could not be continued.',
        true,
        'store_unavailable',
      );
    default:
      return ending(
        'gone',
        'The reply to resume is no longer kept: it expired, or the server restarted.',
        true,
        'not_kept',
      );
  }
}

function ending(
  kind: 'aborted' | 'gone',
  message: string,
  retryable: boolean,
  errorType: string,
): OutgoingServerSentEvent {
  return sluiceEvent({ type: 'error', kind, message, retryable, errorType, relayed: false });
}
