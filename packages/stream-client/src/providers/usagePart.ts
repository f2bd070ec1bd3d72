import { read } from './read.js';
import type { StreamPart } from './StreamPart.js';

/** A usage part from a provider's token counts, leaving out what it did not send as a count. */
export function usagePart(inputTokens: unknown, outputTokens: unknown): StreamPart {
  const input = read.count(inputTokens);
  const output = read.count(outputTokens);
  return {
    type: 'usage',
    usage: {
      ...(input === undefined ? {} : { inputTokens: input }),
      ...(output === undefined ? {} : { outputTokens: output }),
    },
  };
}
