import { DEFAULT_HEARTBEAT_MS, KEEP_ALIVE_COMMENT, SSE_HEADERS } from './EventSource.js';
import type { EventSourceInput, SSEWriteOptions } from './EventSource.js';
import { openEventSource } from './openEventSource.js';

/** Options of {@link toSSEResponse}. */
export interface ToSSEResponseOptions extends SSEWriteOptions {
  /** The response status; default 200. */
  status?: number | undefined;
}

/**
 * Streams events as a Web `Response`, for Next.js route handlers, Hono, Bun, Deno and workers. Each
 * event is sent as soon as the source yields it; when the client disconnects, the source's signal
 * aborts.
 *
 * @example
 * ```ts
 * export async function POST(request: Request) {
 *   const body = await request.json();
 *   return toSSEResponse((signal) => relay(streamText({ url: OPENAI_URL, headers, body, signal })), {
 *     signal: request.signal,
 *   });
 * }
 * ```
 */
export function toSSEResponse(source: EventSourceInput, options: ToSSEResponseOptions = {}): Response {
  const encoder = new TextEncoder();
  const opened = openEventSource(source, options.signal);
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  let heartbeat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>(
    {
      start(controller) {
        if (heartbeatMs > 0) {
          heartbeat = setInterval(() => {
            try {
              controller.enqueue(encoder.encode(KEEP_ALIVE_COMMENT));
            } catch {
              clearInterval(heartbeat);
            }
          }, heartbeatMs);
        }
        // An opening comment makes the headers and first bytes leave at once through buffering proxies.
        controller.enqueue(encoder.encode(': stream open\n\n'));
      },
      async pull(controller) {
        const text = await opened.next();
        try {
          if (text === undefined) {
            clearInterval(heartbeat);
            controller.close();
            return;
          }
          controller.enqueue(encoder.encode(text));
        } catch {
          // Cancelled while the source was asked for its next event: the client has gone already.
          clearInterval(heartbeat);
        }
      },
      cancel(reason) {
        clearInterval(heartbeat);
        opened.stop(reason ?? new Error('The client disconnected.'));
      },
    },
    // Pull one event at a time, only when the client reads: backpressure reaches the source.
    { highWaterMark: 0 },
  );
  return new Response(body, {
    status: options.status ?? 200,
    headers: { ...SSE_HEADERS, ...options.headers },
  });
}
