import { createDecoder } from '../providers/createDecoder.js';
import type { Decoder, ProviderFormat } from '../providers/Decoder.js';
import type { StreamPart } from '../providers/StreamPart.js';
import { createSSEParser } from '../sse/createSSEParser.js';

/**
 * Decodes a whole event stream, given as text, into parts: a quick way to check a decoder (yours
 * or a built-in one) against a captured stream.
 */
export function decodeEvents(provider: ProviderFormat | 'auto' | Decoder, eventStream: string): StreamPart[] {
  const decoder = typeof provider === 'string' ? createDecoder(provider) : provider;
  const parts: StreamPart[] = [];
  const parser = createSSEParser({ onEvent: (event) => decoder.decode(event, (part) => parts.push(part)) });
  parser.feed(eventStream);
  parser.end();
  return parts;
}
