import { SSE_HEADERS } from '../server/EventSource.js';
import { mockStream } from './mockStream.js';
import type { MockStreamOptions } from './mockStream.js';
import type { ModelScript } from './providerEvents.js';

/** A `Response` carrying {@link mockStream}'s stream with the headers of a real event stream. */
export function mockResponse(text: ModelScript['text'], options: MockStreamOptions = {}): Response {
  return new Response(mockStream(text, options), {
    headers: SSE_HEADERS,
  });
}
