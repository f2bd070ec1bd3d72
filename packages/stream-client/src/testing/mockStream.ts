import type { ProviderFormat } from '../providers/Decoder.js';
import { providerErrorEvent } from './providerErrorEvent.js';
import { providerEvents } from './providerEvents.js';
import { streamBlocks } from './streamBlocks.js';
import type { StreamFault } from './StreamFault.js';
import type { ModelScript } from './providerEvents.js';

/** Options of {@link mockStream}. */
export interface MockStreamOptions extends Omit<ModelScript, 'text'> {
  /** The format to speak; default `openai`. */
  provider?: ProviderFormat | undefined;
  /** The wait before each event, in milliseconds; default 0 (every event at once). */
  delayMs?: number | undefined;
  /** Aborting it errors the stream, as a dropped connection would. */
  signal?: AbortSignal | undefined;
  /** A fault to inject: an error event, a stall, a dropped connection, or an early clean close. */
  fault?: StreamFault | undefined;
}

/**
 * A provider-shaped event stream for a text, as bytes, with the timing you ask for: a stand-in for
 * a model in tests, stories and demos.
 *
 * @example
 * ```ts
 * const body = mockStream('Hello there!', { provider: 'anthropic', delayMs: 20 });
 * const response = new Response(body, { headers: { 'content-type': 'text/event-stream' } });
 * ```
 */
export function mockStream(text: ModelScript['text'], options: MockStreamOptions = {}): ReadableStream<Uint8Array> {
  const { provider = 'openai', delayMs = 0, signal, fault, ...script } = options;
  const blocks = providerEvents(provider, { ...script, text });
  if (fault === undefined) return streamBlocks(blocks, delayMs, signal);
  const before = blocks.slice(0, fault.afterEvents);
  switch (fault.kind) {
    case 'error-event':
      return streamBlocks([...before, providerErrorEvent(provider, fault.message, fault.errorType)], delayMs, signal);
    case 'truncate':
      return streamBlocks(before, delayMs, signal);
    case 'stall':
      return streamBlocks(before, delayMs, signal, 'stall');
    case 'drop':
      return streamBlocks(before, delayMs, signal, 'drop');
  }
}
