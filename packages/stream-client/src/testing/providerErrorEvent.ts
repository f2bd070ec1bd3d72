import type { ProviderFormat } from '../providers/Decoder.js';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';

/** The event a provider sends to report an error mid-stream, in its own shape. */
export function providerErrorEvent(provider: ProviderFormat, message = 'Overloaded', errorType?: string): string {
  switch (provider) {
    case 'openai':
      return formatServerSentEvent({
        data: JSON.stringify({ error: { message, type: errorType ?? 'server_error', code: null } }),
      });
    case 'anthropic':
      return formatServerSentEvent({
        type: 'error',
        data: JSON.stringify({ type: 'error', error: { type: errorType ?? 'overloaded_error', message } }),
      });
    case 'openai-responses':
      return formatServerSentEvent({
        type: 'error',
        data: JSON.stringify({ type: 'error', code: errorType ?? 'server_error', message, param: null }),
      });
    case 'sluice':
      // A Sluice server relaying its provider's error: the kind and type kept, the message whole.
      return formatServerSentEvent(
        sluiceEvent({
          type: 'error',
          kind: 'provider',
          message: `The provider reported an error: ${message}`,
          errorType: errorType ?? 'overloaded_error',
          retryable: true,
        }),
      );
    default:
      throw new TypeError(`Unknown provider ${JSON.stringify(provider)}.`);
  }
}
