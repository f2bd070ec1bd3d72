/**
 * `@sluice/stream-client/testing`: provider-shaped event streams for testing streaming UIs without
 * a paid API.
 *
 * @packageDocumentation
 */
export { mockResponse, mockStream, streamBlocks } from './mockStream.js';
export type { MockStreamOptions } from './mockStream.js';
export { decodeEvents } from './decodeEvents.js';
export { providerEvents, tokenize } from './providerEvents.js';
export type { ModelScript } from './providerEvents.js';
export { htmlResponse, providerErrorEvent, rateLimitedResponse } from './faults.js';
export type { StreamFault } from './faults.js';
