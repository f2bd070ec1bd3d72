import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/** What the server writes: events (formatted for you) or text already in the event-stream format. */
export type OutgoingEvent = OutgoingServerSentEvent | string;

/**
 * The events to send: an async iterable, or a function that makes one from a signal that aborts
 * when the client disconnects (hand it to the upstream request, so the provider stops generating).
 */
export type EventSourceInput = AsyncIterable<OutgoingEvent> | ((signal: AbortSignal) => AsyncIterable<OutgoingEvent>);

/** Options shared by {@link toSSEResponse} and {@link writeSSE}. */
export interface SSEWriteOptions {
  /** Extra response headers. */
  headers?: Record<string, string> | undefined;
  /** A comment is sent this often while no event is, so proxies and browsers keep the connection open; default 15 s, 0 for none. */
  heartbeatMs?: number | undefined;
  /** Aborts the stream (and the source's signal) when it aborts; for a Web request, pass `request.signal`. */
  signal?: AbortSignal | undefined;
}

/** The headers that make proxies and browsers pass each event through at once. */
export const SSE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'text/event-stream; charset=utf-8',
  // no-transform keeps compression middleware and CDNs from buffering the stream to compress it.
  'cache-control': 'no-cache, no-transform',
  // nginx buffers proxied responses unless told not to.
  'x-accel-buffering': 'no',
});

/** The comment sent as a heartbeat: clients ignore it, proxies see the connection is alive. */
export const KEEP_ALIVE_COMMENT = ': keep-alive\n\n';

/** The default interval of keep-alive comments. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
