import { createSSEParser } from './createSSEParser.js';
import type { ServerSentEvent } from './ServerSentEvent.js';

/** Options of {@link parseSSE}. */
export interface ParseSSEOptions {
  /** Called when a valid `retry:` line is processed, with the reconnection time in milliseconds. */
  onRetry?: ((milliseconds: number) => void) | undefined;
  /** Called for each `:` comment line (keep-alives), with one leading space removed. */
  onComment?: ((text: string) => void) | undefined;
  /**
   * Bound on one event's buffered size (see {@link SSEParserOptions.maxEventBytes}); past it the
   * iteration throws an {@link SSEParseError} of kind `event-too-large`. Defaults to 16 MiB.
   */
  maxEventBytes?: number | undefined;
  /** The last event ID to start from, for a stream that resumes an earlier one. */
  lastEventId?: string | undefined;
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
export function parseSSE(
  body: EventStreamSource,
  options: ParseSSEOptions = {},
): AsyncIterableIterator<ServerSentEvent> {
  if (
    body === null ||
    typeof body !== 'object' ||
    (typeof (body as ReadableStream<Uint8Array>).getReader !== 'function' && !(Symbol.asyncIterator in body))
  ) {
    throw new TypeError(
      `parseSSE needs a ReadableStream or an async iterable of chunks, not ${body === null ? 'null' : typeof body}. ` +
        'A fetch Response with no body (for example a 204) has nothing to parse.',
    );
  }
  return readEvents(body, options);
}

/** The three things parseSSE does with a source, whichever kind it is. */
interface ChunkReader {
  read(): Promise<IteratorResult<Uint8Array | string, unknown>>;
  /** Stops the source early: for a fetch body this closes the connection. */
  cancel(reason?: unknown): Promise<void>;
  release(): void;
}

function openReader(body: EventStreamSource): ChunkReader {
  if (typeof (body as ReadableStream<Uint8Array>).getReader === 'function') {
    // A reader rather than `for await` works in every runtime, including browsers whose
    // ReadableStream is not async-iterable.
    const reader = (body as ReadableStream<Uint8Array>).getReader();
    return {
      read: () => reader.read() as Promise<IteratorResult<Uint8Array, unknown>>,
      cancel: (reason) =>
        reader.cancel(reason).then(
          () => reader.releaseLock(),
          () => reader.releaseLock(),
        ),
      release: () => reader.releaseLock(),
    };
  }
  const iterator = (body as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  return {
    read: () => iterator.next(),
    cancel: async () => {
      await iterator.return?.();
    },
    release: () => {},
  };
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/*
 * A hand-written iterator rather than an async generator: a generator awaits every value it
 * yields, which costs extra microtask turns per event. Here an event already parsed is handed out
 * in an already-settled promise, and the source is read only once the parsed events run out.
 */
function readEvents(body: EventStreamSource, options: ParseSSEOptions): AsyncIterableIterator<ServerSentEvent> {
  const queue: ServerSentEvent[] = [];
  let head = 0;
  const parser = createSSEParser({ ...options, onEvent: (event) => queue.push(event) });
  let reader: ChunkReader | undefined;
  let finished = false;
  let filling: Promise<IteratorResult<ServerSentEvent, undefined>> | undefined;

  async function fill(): Promise<IteratorResult<ServerSentEvent, undefined>> {
    reader ??= openReader(body);
    try {
      while (head === queue.length) {
        if (finished) return DONE;
        const { done, value } = await reader.read();
        if (finished) return DONE; // return() was called while the read was pending
        queue.length = 0;
        head = 0;
        if (done) {
          finished = true;
          parser.end();
          reader.release();
        } else {
          parser.feed(value);
        }
      }
      return { done: false, value: queue[head++]! };
    } catch (error) {
      if (!finished) {
        finished = true;
        queue.length = 0;
        head = 0;
        await reader.cancel(error);
      }
      throw error;
    }
  }

  const iterator: AsyncIterableIterator<ServerSentEvent> = {
    next() {
      if (head < queue.length) return Promise.resolve({ done: false, value: queue[head++]! });
      // Calls made before the previous one settled wait their turn, so the source is read by one at a time.
      if (filling !== undefined) return filling.then(iterator.next, iterator.next);
      filling = fill();
      const settle = () => {
        filling = undefined;
      };
      filling.then(settle, settle);
      return filling;
    },
    async return() {
      if (!finished) {
        finished = true;
        queue.length = 0;
        head = 0;
        // Cancelling is what aborts a fetch, so a consumer that stops early frees the connection at once.
        if (reader !== undefined) await reader.cancel();
      }
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
