/**
 * `@sluice/stream-client/testing`: provider-shaped event streams for testing streaming UIs without
 * a paid API.
 *
 * @packageDocumentation
 */
export { mockStream } from './mockStream.js';
export { mockResponse } from './mockResponse.js';
export { streamBlocks } from './streamBlocks.js';
export { partsStream } from './partsStream.js';
export type { PartsStreamOptions } from './partsStream.js';
export type { MockStreamOptions } from './mockStream.js';
export { decodeEvents } from './decodeEvents.js';
export { providerEvents, tokenize } from './providerEvents.js';
export type { ModelScript } from './providerEvents.js';
export { htmlResponse } from './htmlResponse.js';
export { providerErrorEvent } from './providerErrorEvent.js';
export { rateLimitedResponse } from './rateLimitedResponse.js';
export type { StreamFault } from './StreamFault.js';
export { ManualClock } from './ManualClock.js';
