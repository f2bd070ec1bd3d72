import { createAnthropicDecoder } from './createAnthropicDecoder.js';
import { createAutoDecoder } from './createAutoDecoder.js';
import { createOpenAIChatDecoder } from './createOpenAIChatDecoder.js';
import { createOpenAIResponsesDecoder } from './createOpenAIResponsesDecoder.js';
import { createSluiceDecoder } from './createSluiceDecoder.js';
import type { Decoder, ProviderFormat } from './Decoder.js';

/** A fresh decoder for a named format, or `'auto'` to recognise it from the stream. */
export function createDecoder(format: ProviderFormat | 'auto'): Decoder {
  switch (format) {
    case 'openai':
      return createOpenAIChatDecoder();
    case 'openai-responses':
      return createOpenAIResponsesDecoder();
    case 'anthropic':
      return createAnthropicDecoder();
    case 'sluice':
      return createSluiceDecoder();
    case 'auto':
      return createAutoDecoder();
    default:
      throw new TypeError(
        `Unknown provider ${JSON.stringify(format)}: use 'openai', 'openai-responses', 'anthropic', 'sluice', 'auto' or a Decoder.`,
      );
  }
}
