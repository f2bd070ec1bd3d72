import type { ServerSentEvent } from '../sse/ServerSentEvent.js';
import type { ProviderFormat } from './Decoder.js';
import { DecoderError } from './DecoderError.js';
import { recogniseFormat } from './recogniseFormat.js';

/** The names people know the formats by, for messages. */
const formatNames: Readonly<Record<ProviderFormat, string>> = {
  openai: 'OpenAI Chat Completions',
  'openai-responses': 'OpenAI Responses',
  anthropic: 'Anthropic Messages',
  sluice: 'sluice',
};

/**
 * Called by a decoder for an event it does not understand: when the event plainly belongs to
 * another format, throws a non-retryable protocol error that names the right provider, so a
 * mismatch fails at the first event rather than as a "truncated" stream retried three times
 * (each retry a complete, billed answer upstream). Otherwise returns, and the event is ignored.
 */
export function formatMismatch(event: ServerSentEvent, expected: ProviderFormat): void {
  const found = recogniseFormat(event);
  if (found === undefined || found === expected) return;
  throw new DecoderError(
    `The stream is in the ${formatNames[found]} format, not ${formatNames[expected]}: use provider '${found}' or 'auto'.`,
    'protocol',
    false,
  );
}
