import { createSSEParser } from './createSSEParser.js';
import type { ServerSentEvent } from './ServerSentEvent.js';

/** Options of {@link parseSSE}. */
export interface ParseSSEOptions {
  /** Called when a valid `retry:` line is processed, with the reconnection time in milliseconds. */
  onRetry?(milliseconds: number): void;
  /** Called for each `:` comment line (keep-alives), with one leading space removed. */
  onComment?(text: string): void;
  /**
   * Bound on one event's buffered size (see {@link SSEParserOptions.maxEventBytes}); past it the
   * iteration throws an {@link SSEParseError} of kind `event-too-large`. Defaults to 16 MiB.
   */
  maxEventBytes?: number;
  /** The last event ID to start from, for a stream that resumes an earlier one. */
  lastEventId?: string;
}

/** What {@link parseSSE} reads: a fetch `Response.body`, a Node stream, or any async source of chunks. */
export type EventStreamSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string>;

/**
 * Reads a byte stream as Server-Sent Events, exactly as the WHATWG standard says, yielding each
 * event as soon as its blank line arrives.
 *
 * Leaving the loop early (`break`, `return`, an exception) cancels the source, so a fetch body
 * closes its connection at once.
 *
 * @example
 * ```ts
 * const response = await fetch('/api/chat', { method: 'POST', body });
 * for await (const event of parseSSE(response.body!)) {
 *   if (event.data === '[DONE]') break;
 *   console.log(JSON.parse(event.data));
 * }
 * ```
 */
export function parseSSE(body: EventStreamSource, options: ParseSSEOptions = {}): AsyncIterable<ServerSentEvent> {
  if (body === null || typeof body !== 'object') {
    throw new TypeError(
      `parseSSE needs a ReadableStream or an async iterable of chunks, not ${body === null ? 'null' : typeof body}. ` +
        'A fetch Response with no body (for example a 204) has nothing to parse.',
    );
  }
  if (isReadableStream(body)) return readStream(body, options);
  if (Symbol.asyncIterator in body) return readIterable(body, options);
  throw new TypeError('parseSSE needs a ReadableStream or an async iterable of chunks.');
}

function isReadableStream(body: EventStreamSource): body is ReadableStream<Uint8Array> {
  return typeof (body as ReadableStream<Uint8Array>).getReader === 'function';
}

async function* readStream(
  body: ReadableStream<Uint8Array>,
  options: ParseSSEOptions,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const queue: ServerSentEvent[] = [];
  const parser = createSSEParser({ ...options, onEvent: (event) => queue.push(event) });
  // Reading through a reader rather than `for await` works in every runtime, including browsers
  // whose ReadableStream is not async-iterable.
  const reader = body.getReader();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parser.feed(value);
      for (let index = 0; index < queue.length; index++) yield queue[index]!;
      queue.length = 0;
    }
    finished = true;
    parser.end();
  } finally {
    // Cancelling is what aborts a fetch, so a consumer that stops early frees the connection at once.
    if (!finished) await reader.cancel().catch(ignore);
    reader.releaseLock();
  }
}

async function* readIterable(
  body: AsyncIterable<Uint8Array | string>,
  options: ParseSSEOptions,
): AsyncGenerator<ServerSentEvent, void, undefined> {
  const queue: ServerSentEvent[] = [];
  const parser = createSSEParser({ ...options, onEvent: (event) => queue.push(event) });
  for await (const chunk of body) {
    parser.feed(chunk);
    for (let index = 0; index < queue.length; index++) yield queue[index]!;
    queue.length = 0;
  }
  parser.end();
}

function ignore(): void {}
