import { DEFAULT_HEARTBEAT_MS, KEEP_ALIVE_COMMENT, SSE_HEADERS } from './EventSource.js';
import type { EventSourceInput, SSEWriteOptions } from './EventSource.js';
import { openEventSource } from './openEventSource.js';

/**
 * The parts of a Node `ServerResponse` (node:http, Express, Fastify's `reply.raw`) that writing a
 * stream needs, so this module needs no Node types and runs wherever they are provided.
 */
export interface NodeResponseLike {
  writeHead(status: number, headers: Record<string, string>): unknown;
  write(chunk: string): boolean;
  end(chunk?: string): unknown;
  on(event: 'close' | 'drain', listener: () => void): unknown;
  off?: ((event: 'close' | 'drain', listener: () => void) => unknown) | undefined;
  readonly writableEnded?: boolean | undefined;
  readonly destroyed?: boolean | undefined;
  /** Node's `closed`: the connection is gone (true once the client has left). */
  readonly closed?: boolean | undefined;
  flushHeaders?: (() => void) | undefined;
  /** Added by compression middleware: pushes buffered output out. */
  flush?: (() => void) | undefined;
  readonly socket?: { setNoDelay?(noDelay?: boolean): unknown } | null | undefined;
  readonly req?: { httpVersionMajor?: number } | undefined;
}

/**
 * Streams events to a Node response (node:http, Express), flushing each as it is written, with
 * heartbeats, backpressure, and the source's signal aborted when the client disconnects. Resolves
 * when the stream has ended or the client has gone.
 *
 * @example
 * ```ts
 * app.post('/api/chat', (request, response) => {
 *   void writeSSE(response, (signal) => relay(streamText({ url: OPENAI_URL, headers, body: request.body, signal })));
 * });
 * ```
 */
export async function writeSSE(
  response: NodeResponseLike,
  source: EventSourceInput,
  options: SSEWriteOptions = {},
): Promise<void> {
  const disconnect = new AbortController();
  // A client that left before this call (while a handler read the body, checked a session, queried
  // a database) fired its 'close' already: nobody will ever hear that. Stop the source at once.
  if (response.destroyed === true || response.closed === true || response.writableEnded === true) {
    openEventSource(source, AbortSignal.abort(new Error('The client disconnected.')));
    return;
  }
  const opened = openEventSource(
    source,
    options.signal === undefined ? disconnect.signal : AbortSignal.any([disconnect.signal, options.signal]),
  );
  let drained: (() => void) | undefined;
  const onClose = () => {
    if (!response.writableEnded) disconnect.abort(new Error('The client disconnected.'));
    drained?.();
  };
  const onDrain = () => drained?.();
  response.on('close', onClose);
  response.on('drain', onDrain);
  const headers: Record<string, string> = { ...SSE_HEADERS, ...options.headers };
  // HTTP/2 forbids the Connection header; on HTTP/1.1 it keeps the socket open between events.
  if ((response.req?.httpVersionMajor ?? 1) < 2) headers['connection'] = 'keep-alive';
  response.writeHead(200, headers);
  response.flushHeaders?.();
  // Without Nagle's delay each small event leaves in its own packet, at once.
  response.socket?.setNoDelay?.(true);

  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const heartbeat =
    heartbeatMs > 0
      ? setInterval(() => {
          if (!response.writableEnded && !response.destroyed) {
            response.write(KEEP_ALIVE_COMMENT);
            response.flush?.();
          }
        }, heartbeatMs)
      : undefined;
  // Event after event, each written as it comes: the loop is a callback the source calls (one
  // made for the whole reply) rather than an `await` per event, which cost a promise and a
  // suspended function's state per event at tens of thousands of events a second.
  await new Promise<void>((resolve, reject) => {
    let finished = false;
    let over = false;
    /** Every way out: a source that ended stays as it is; any other (a client gone, a write that failed) stops it. */
    const finish = (failure?: { error: unknown }) => {
      if (over) return;
      over = true;
      drained = undefined;
      try {
        if (!finished) opened.stop(new Error('The client disconnected.'));
        clearInterval(heartbeat);
        response.off?.('close', onClose);
        response.off?.('drain', onDrain);
        if (!response.writableEnded && !response.destroyed) response.end();
      } catch (error) {
        failure = { error };
      }
      if (failure === undefined) resolve();
      else reject(failure.error);
    };
    const receive = (text: string | undefined) => {
      try {
        if (text === undefined) {
          finished = true;
          finish();
          return;
        }
        if (disconnect.signal.aborted || response.destroyed) {
          finish();
          return;
        }
        if (!response.write(text)) {
          // The client reads slower than the source writes: wait rather than buffer without bound.
          drained = written;
          return;
        }
        written();
      } catch (error) {
        finish({ error });
      }
    };
    /** The event is out (or the socket has room again): ask for the next. */
    const written = () => {
      drained = undefined;
      try {
        response.flush?.();
        opened.pull(receive);
      } catch (error) {
        finish({ error });
      }
    };
    opened.pull(receive);
  });
}
