import { StreamError } from './StreamError.js';

/**
 * One plain sentence for a person about why an answer failed: no status codes, runtime errors,
 * HTML or stack traces. The error's `message` keeps the technical detail, for a "details" view
 * and for logs. Anything that is not a {@link StreamError} gets a general sentence.
 *
 * @example
 * ```ts
 * stream.on('error', (error) => showBanner(describeStreamError(error), { details: error.message }));
 * ```
 */
export function describeStreamError(error: unknown): string {
  if (!(error instanceof StreamError)) return 'Something went wrong.';
  const shown = error.partial.text !== '' || error.partial.reasoning !== '' || error.partial.toolCalls.length > 0;
  switch (error.kind) {
    case 'aborted':
      return 'The answer was stopped.';
    case 'network':
      if (error.relayed) return shown ? 'The connection to the model was lost.' : 'The model could not be reached.';
      return shown
        ? 'The connection was lost before the answer finished.'
        : 'The server could not be reached. Check your connection.';
    case 'timeout':
      return 'The model took too long to respond.';
    case 'http':
      return statusSentence(error.status, error.relayed);
    case 'provider':
      return providerSentence(error.providerErrorType ?? '');
    case 'truncated':
      return 'The answer was cut off before it finished.';
    case 'restarted':
      return 'The answer could not be continued after the connection dropped.';
    case 'gone':
      if (error.providerErrorType === 'producer_lost')
        return 'The server answering stopped before the answer finished.';
      if (error.providerErrorType === 'store_unavailable')
        return 'The server lost track of the answer before it finished.';
      return 'The answer could not be continued: the server no longer has it.';
    default:
      return error.relayed ? 'The model provider’s answer could not be read.' : 'The answer could not be read.';
  }
}

function statusSentence(status: number | undefined, relayed: boolean): string {
  switch (status) {
    case 400:
    case 422:
      return relayed ? 'The model provider did not accept the request.' : 'The request was not accepted.';
    case 401:
      return relayed ? 'The server could not sign in to the model provider.' : 'You need to sign in again.';
    case 403:
      return relayed ? 'The server is not allowed to use this model.' : 'You are not allowed to send this.';
    case 404:
      return relayed ? 'The model was not found.' : 'The chat service was not found.';
    case 408:
      return 'The request took too long.';
    case 413:
      return 'The conversation is too long to send.';
    case 429:
      return 'Too many requests right now. Wait a moment, then try again.';
    default:
      if (status !== undefined && status >= 500) {
        return relayed ? 'The model provider had a problem answering.' : 'The server had a problem answering.';
      }
      return 'The request failed.';
  }
}

function providerSentence(type: string): string {
  if (/overloaded|capacity|unavailable/i.test(type)) return 'The model is busy right now. Try again in a moment.';
  if (/rate_limit|too_many|quota/i.test(type)) return 'Too many requests right now. Wait a moment, then try again.';
  if (/context_length|too_long|too_large/i.test(type)) return 'The conversation is too long for the model.';
  return 'The model ran into an error while answering.';
}
