import type { ServerSentEvent } from '../sse/ServerSentEvent.js';
import type { StreamPart } from './StreamPart.js';

/**
 * Turns one provider's Server-Sent Events into {@link StreamPart}s. A decoder holds the state of a
 * single response (tool calls being assembled, a stop reason waiting for its final event), so make
 * a new one for every request; `streamText` does so for the built-in formats.
 *
 * Throwing from `decode` (for example on malformed JSON) fails the stream with kind `protocol`,
 * naming the event's data.
 *
 * @example
 * ```ts
 * const lines: Decoder = {
 *   format: 'plain-lines',
 *   decode(event, emit) {
 *     if (event.type === 'end') emit({ type: 'finish', finishReason: 'stop' });
 *     else emit({ type: 'text-delta', text: event.data });
 *   },
 * };
 * ```
 */
export interface Decoder {
  /** The format's name, used in error messages. */
  readonly format: string;
  /** Decodes one event, calling `emit` once for each part it carried (possibly none). */
  decode(event: ServerSentEvent, emit: (part: StreamPart) => void): void;
}

/** The formats Sluice decodes itself. */
export type ProviderFormat = 'openai' | 'openai-responses' | 'anthropic' | 'sluice';
