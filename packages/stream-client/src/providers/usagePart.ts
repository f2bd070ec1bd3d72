import type { StreamPart } from './StreamPart.js';

/** A usage part from a provider's token counts, leaving out the counts it did not send. */
export function usagePart(inputTokens: number | null | undefined, outputTokens: number | null | undefined): StreamPart {
  return {
    type: 'usage',
    usage: {
      ...(inputTokens == null ? {} : { inputTokens }),
      ...(outputTokens == null ? {} : { outputTokens }),
    },
  };
}
