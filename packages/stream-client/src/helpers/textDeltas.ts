import type { StreamPart } from '../providers/StreamPart.js';

/**
 * Just the answer's text pieces from a stream of parts (a `TextStream` or any other), for code that
 * wants strings.
 *
 * @example
 * ```ts
 * for await (const text of textDeltas(streamText({ url, body }))) process.stdout.write(text);
 * ```
 */
export async function* textDeltas(parts: AsyncIterable<StreamPart>): AsyncGenerator<string, void, undefined> {
  for await (const part of parts) {
    if (part.type === 'text-delta' && (part.choice === undefined || part.choice === 0)) yield part.text;
  }
}
