import type { ServerSentEvent } from '../sse/ServerSentEvent.js';
import { createAnthropicDecoder } from './createAnthropicDecoder.js';
import { createOpenAIChatDecoder } from './createOpenAIChatDecoder.js';
import { createOpenAIResponsesDecoder } from './createOpenAIResponsesDecoder.js';
import { createSluiceDecoder, sluicePartTypes } from './createSluiceDecoder.js';
import type { Decoder } from './Decoder.js';

const anthropicEvents = new Set(['message_start', 'content_block_start', 'content_block_delta', 'message_delta']);

/** Picks the decoder for a format from one event, or `undefined` when the event does not tell. */
function recognise(event: ServerSentEvent): Decoder | undefined {
  if (anthropicEvents.has(event.type)) return createAnthropicDecoder();
  if (event.type.startsWith('response.')) return createOpenAIResponsesDecoder();
  // An `error` event is also Anthropic's and the Responses API's: its data tells them apart below.
  if (event.type !== 'error' && sluicePartTypes.has(event.type)) return createSluiceDecoder();
  if (event.type === 'ping') return undefined;
  if (event.data === '[DONE]') return createOpenAIChatDecoder();
  const data = JSON.parse(event.data) as { type?: unknown; object?: unknown; choices?: unknown; error?: unknown };
  if (typeof data.type === 'string') {
    if (data.type.startsWith('response.')) return createOpenAIResponsesDecoder();
    if (anthropicEvents.has(data.type) || (data.type === 'error' && typeof data.error === 'object')) {
      return createAnthropicDecoder();
    }
    if (data.type === 'error') return createOpenAIResponsesDecoder();
  }
  if (event.type === 'error') return createSluiceDecoder();
  if (data.object === 'chat.completion.chunk' || Array.isArray(data.choices) || data.error !== undefined) {
    return createOpenAIChatDecoder();
  }
  return undefined;
}

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
        chosen = recognise(event);
        if (chosen === undefined) {
          if (event.type === 'ping') return;
          throw new SyntaxError('the stream is in none of the formats provider "auto" recognises');
        }
        // Later error messages name the format that was recognised.
        (decoder as { format: string }).format = chosen.format;
      }
      chosen.decode(event, emit);
    },
  };
  return decoder;
}
