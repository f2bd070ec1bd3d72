import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { StreamPart } from '../providers/StreamPart.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { StreamError } from '../transport/StreamError.js';

/** Turns a message into what may be shown outside the server: the secrets in it replaced. */
export type Redact = (text: string) => string;

const keepText: Redact = (text) => text;

/**
 * The `error` event that reports a failure to the client, so a stream never just closes (which
 * would look like a finished answer).
 *
 * A {@link StreamError} from the upstream keeps its meaning across the relay: its kind, HTTP
 * status, provider error type, whether a retry may help, and the wait the provider asked for. Its
 * message is the one the client will show as detail, so what only the server should know stays
 * behind: a connection failure's runtime detail (addresses, socket errors), an error body that is
 * not the provider's own JSON error (a gateway's page may name internal hosts), and a provider's
 * answer to a rejected API key (which may echo part of the key). Anything else that was thrown is
 * the server's own fault, reported as such without its message.
 */
export function errorEvent(error: unknown, redact: Redact = keepText): OutgoingServerSentEvent {
  if (!(error instanceof StreamError)) {
    return sluiceEvent({
      type: 'error',
      message: 'The server failed while streaming the answer.',
      kind: 'http',
      status: 500,
      retryable: true,
      relayed: false,
    });
  }
  const part: Extract<StreamPart, { type: 'error' }> = {
    type: 'error',
    message: redact(publicMessage(error)),
    kind: error.kind,
    retryable: error.retryable,
  };
  if (error.status !== undefined) part.status = error.status;
  if (error.providerErrorType !== undefined) part.errorType = error.providerErrorType;
  if (error.retryAfterMs !== undefined) part.retryAfterMs = error.retryAfterMs;
  return sluiceEvent(part);
}

function publicMessage(error: StreamError): string {
  const shown = error.partial.metrics.timeToFirstTokenMs !== undefined;
  switch (error.kind) {
    case 'network':
      return shown
        ? 'The connection to the provider was lost in the middle of the answer.'
        : 'The provider could not be reached.';
    case 'http':
      if (error.status === 401 || error.status === 403) {
        return `HTTP ${error.status}: the provider did not accept the server's API key.`;
      }
      // Only a provider's own JSON error is passed on: a gateway's text or page may name internal hosts.
      return error.providerErrorType === undefined ? (error.message.split(': ')[0] ?? '') : error.message;
    case 'protocol':
      // What the provider sent instead of its stream (a gateway's page, a login form) is the
      // server's to read in its log; the client learns only that it could not be read.
      return 'The provider’s answer could not be read: it was not the stream the server expected.';
    default:
      return error.message;
  }
}
