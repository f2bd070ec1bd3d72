import type { ProviderFormat } from '../providers/Decoder.js';
import { providerErrorEvent } from './faults.js';
import type { StreamFault } from './faults.js';
import { providerEvents } from './providerEvents.js';
import type { ModelScript } from './providerEvents.js';

/** Options of {@link mockStream}. */
export interface MockStreamOptions extends Omit<ModelScript, 'text'> {
  /** The format to speak; default `openai`. */
  provider?: ProviderFormat;
  /** The wait before each event, in milliseconds; default 0 (every event at once). */
  delayMs?: number;
  /** Aborting it errors the stream, as a dropped connection would. */
  signal?: AbortSignal;
  /** A fault to inject: an error event, a stall, a dropped connection, or an early clean close. */
  fault?: StreamFault;
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

/**
 * Streams event blocks as UTF-8, one block per chunk, waiting `delayMs` before each. At the end the
 * stream closes, or with `ending` it stalls (stays open and silent) or drops (errors like a reset
 * connection).
 */
export function streamBlocks(
  blocks: readonly string[],
  delayMs: number,
  signal?: AbortSignal,
  ending: 'close' | 'stall' | 'drop' = 'close',
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        controller.error(signal.reason);
      });
    },
    pull(controller) {
      if (index >= blocks.length) {
        if (ending === 'close') controller.close();
        else if (ending === 'drop') controller.error(new TypeError('The connection was reset (mock).'));
        // A stall never settles this pull, so no more are asked for: the stream stays open and silent.
        else return new Promise<void>(() => {});
        return;
      }
      const block = blocks[index++]!;
      if (delayMs <= 0) {
        controller.enqueue(encoder.encode(block));
        return;
      }
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (!signal?.aborted) controller.enqueue(encoder.encode(block));
          resolve();
        }, delayMs);
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

/** A `Response` carrying {@link mockStream}'s stream with the headers of a real event stream. */
export function mockResponse(text: ModelScript['text'], options: MockStreamOptions = {}): Response {
  return new Response(mockStream(text, options), {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' },
  });
}
