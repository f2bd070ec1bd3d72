/**
 * `@sluice/stream-client/server`: relay a provider's stream to browsers without buffering, as a Web
 * `Response` or on a Node response.
 *
 * @packageDocumentation
 */
export { toSSEResponse } from './toSSEResponse.js';
export type { ToSSEResponseOptions } from './toSSEResponse.js';
export { writeSSE } from './writeSSE.js';
export type { NodeResponseLike } from './writeSSE.js';
export { relay } from './relay.js';
export type { RelayOptions } from './relay.js';
export { createResumableStreams } from './createResumableStreams.js';
export type { ResumableStreams, ResumableStreamsOptions } from './createResumableStreams.js';
export { DEFAULT_HEARTBEAT_MS, SSE_HEADERS } from './EventSource.js';
export type { EventSourceInput, OutgoingEvent, SSEWriteOptions } from './EventSource.js';
export { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
export type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
