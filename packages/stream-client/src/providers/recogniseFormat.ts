import type { ServerSentEvent } from '../sse/ServerSentEvent.js';
import type { ProviderFormat } from './Decoder.js';

/** Event names only Anthropic's Messages stream uses. */
const anthropicEvents: ReadonlySet<string> = new Set([
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
]);

/**
 * The event names of the `sluice` protocol besides `error` (which Anthropic and the Responses API
 * use too, so its data tells them apart): the header, then one name per part type.
 */
export const sluiceEventNames: ReadonlySet<string> = new Set([
  'sluice',
  'start',
  'text-delta',
  'reasoning-delta',
  'refusal-delta',
  'tool-call-start',
  'tool-call-delta',
  'tool-call',
  'source',
  'server-tool-call',
  'server-tool-result',
  'tool-request',
  'continuation',
  'step-start',
  'tool-result',
  'tool-approval-request',
  'file',
  'data',
  'usage',
  'finish',
]);

/**
 * Which format one event belongs to, from its name and then its data, or `undefined` when the
 * event does not tell (a `ping`, data that is not JSON, or JSON of no known shape).
 */
export function recogniseFormat(event: ServerSentEvent): ProviderFormat | undefined {
  if (anthropicEvents.has(event.type)) return 'anthropic';
  if (event.type.startsWith('response.')) return 'openai-responses';
  if (sluiceEventNames.has(event.type)) return 'sluice';
  if (event.type === 'ping') return undefined;
  if (event.data === '[DONE]') return 'openai';
  let data: unknown;
  try {
    data = JSON.parse(event.data);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return undefined;
  const fields = data as { type?: unknown; object?: unknown; choices?: unknown; error?: unknown };
  if (typeof fields.type === 'string') {
    if (fields.type.startsWith('response.')) return 'openai-responses';
    if (anthropicEvents.has(fields.type)) return 'anthropic';
    if (fields.type === 'error') {
      // Anthropic nests the error in an object; the Responses API puts code and message beside type.
      return typeof fields.error === 'object' && fields.error !== null ? 'anthropic' : 'openai-responses';
    }
  }
  // A sluice error carries its message at the top, with no type field; an OpenAI-style error event
  // (Groq sends `event: error`) nests it in an `error` object.
  if (event.type === 'error' && fields.type === undefined && fields.error === undefined) return 'sluice';
  if (fields.object === 'chat.completion.chunk' || Array.isArray(fields.choices) || fields.error !== undefined) {
    return 'openai';
  }
  return undefined;
}
