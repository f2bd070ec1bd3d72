import type { ProviderFormat } from '../providers/Decoder.js';
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
  const { provider = 'openai', delayMs = 0, signal, ...script } = options;
  return streamBlocks(providerEvents(provider, { ...script, text }), delayMs, signal);
}

/** Streams event blocks as UTF-8, one block per chunk, waiting `delayMs` before each. */
export function streamBlocks(
  blocks: readonly string[],
  delayMs: number,
  signal?: AbortSignal,
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
        controller.close();
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
