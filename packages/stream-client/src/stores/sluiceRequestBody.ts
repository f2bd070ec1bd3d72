import type { ChatRequest } from './buildChatRequestBody.js';
import { requestConversation } from './requestConversation.js';

/**
 * The body for a Sluice server (`createChatHandler`): `{ system, messages, tools }` plus the body's
 * other fields; the server puts the conversation in its provider's shape.
 */
export function sluiceRequestBody(request: ChatRequest): Record<string, unknown> {
  const { system, turns, extra, tools } = requestConversation(request);
  return {
    ...extra,
    ...(system === '' ? {} : { system }),
    messages: turns,
    ...(tools.length === 0 ? {} : { tools }),
  };
}
