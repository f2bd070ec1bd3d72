/**
 * `@sluice/stream-client`: stream LLM answers over Server-Sent Events in any JavaScript runtime.
 *
 * @packageDocumentation
 */
export type { ServerSentEvent } from './sse/ServerSentEvent.js';
export { SSEParseError } from './sse/SSEParseError.js';
export type { SSEParseErrorKind } from './sse/SSEParseError.js';
export { createSSEParser, DEFAULT_MAX_EVENT_BYTES } from './sse/createSSEParser.js';
export type { SSEParser, SSEParserCallbacks, SSEParserOptions } from './sse/createSSEParser.js';
export { parseSSE } from './sse/parseSSE.js';
export type { EventStreamSource, ParseSSEOptions } from './sse/parseSSE.js';
