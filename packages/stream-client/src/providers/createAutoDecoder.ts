import { createDecoder } from './createDecoder.js';
import type { Decoder } from './Decoder.js';
import { recogniseFormat } from './recogniseFormat.js';

/**
 * Recognises the format from the first events (OpenAI Chat Completions, OpenAI Responses,
 * Anthropic Messages or the `sluice` relay protocol) and decodes the rest with it. An event that
 * matches none of them is a `protocol` error.
 */
export function createAutoDecoder(): Decoder {
  let chosen: Decoder | undefined;
  const decoder: Decoder = {
    format: 'auto',
    decode(event, emit) {
      if (chosen === undefined) {
        const format = recogniseFormat(event);
        if (format === undefined) {
          if (event.type === 'ping') return;
          throw new SyntaxError('the stream is in none of the formats provider "auto" recognises');
        }
        chosen = createDecoder(format);
        // Later error messages name the format that was recognised.
        (decoder as { format: string }).format = chosen.format;
      }
      chosen.decode(event, emit);
    },
  };
  return decoder;
}
