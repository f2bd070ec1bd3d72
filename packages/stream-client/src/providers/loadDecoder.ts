import type { Decoder, ProviderFormat } from './Decoder.js';
import { createSluiceDecoder } from './createSluiceDecoder.js';

/** Makes a fresh decoder of one format, once its code is loaded. */
export type DecoderFactory = () => Decoder;

/**
 * The factory of a format's decoder. The `sluice` protocol's is always at hand; a provider's is
 * loaded on first use, so an app that talks only to a Sluice server never ships the OpenAI,
 * Anthropic and Responses decoders (bundlers put each in a chunk of its own).
 */
export function loadDecoder(format: ProviderFormat): DecoderFactory | Promise<DecoderFactory> {
  switch (format) {
    case 'sluice':
      return createSluiceDecoder;
    case 'openai':
      return import('./createOpenAIChatDecoder.js').then((module) => module.createOpenAIChatDecoder);
    case 'openai-responses':
      return import('./createOpenAIResponsesDecoder.js').then((module) => module.createOpenAIResponsesDecoder);
    case 'anthropic':
      return import('./createAnthropicDecoder.js').then((module) => module.createAnthropicDecoder);
    default:
      throw new TypeError(
        `Unknown provider ${JSON.stringify(format)}: use 'openai', 'openai-responses', 'anthropic', 'sluice', 'auto' or a Decoder.`,
      );
  }
}
