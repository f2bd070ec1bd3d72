import type { ProviderFormat } from '../providers/Decoder.js';
import type { ChatRole } from './ChatSession.js';

/** One turn of a conversation as a request carries it: who wrote it, and its text. */
export interface ChatTurn {
  role: ChatRole;
  content: string;
}

/**
 * What a chat request is built from: on the client, a `ChatSession`'s conversation; on a server,
 * what `useChat` sent. A `ChatMessage` is a turn, so the session passes its messages as they are.
 */
export interface ChatRequest {
  /** The conversation so far, the new user message last. `system` turns join the system prompt. */
  messages: readonly ChatTurn[];
  /** The system prompt. */
  system?: string;
  /** Extra fields of the body (a model name, temperature...). */
  body?: Record<string, unknown>;
}

/**
 * The request body in the shape each provider expects: OpenAI Chat Completions puts the system
 * prompt first among `messages`; Anthropic takes it as `system`; the Responses API as
 * `instructions` with the conversation as `input`. For a Sluice server (`sluice`, `auto`, or a
 * custom decoder) the body is `{ system, messages }`, which `createChatHandler` reads.
 *
 * Each turn is reduced to `{ role, content }`, and `system` turns are joined to the system prompt
 * (after it), since no provider takes them among the turns in the same way.
 *
 * @example
 * ```ts
 * const body = buildChatRequestBody(
 *   { system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }], body: { model: 'claude-sonnet-4-5', max_tokens: 1024 } },
 *   'anthropic',
 * ); // { model, max_tokens, system: 'Be brief.', messages: [{ role: 'user', content: 'Hi' }] }
 * ```
 */
export function buildChatRequestBody(
  request: ChatRequest,
  provider: ProviderFormat | 'auto' | undefined,
): Record<string, unknown> {
  const turns = request.messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role, content: message.content }));
  const systemMessages = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content);
  const system = [request.system, ...systemMessages]
    .filter((text): text is string => text !== undefined && text !== '')
    .join('\n\n');
  const extra = request.body ?? {};
  switch (provider) {
    case 'openai':
      return { ...extra, messages: system === '' ? turns : [{ role: 'system', content: system }, ...turns] };
    case 'anthropic':
      return { ...extra, ...(system === '' ? {} : { system }), messages: turns };
    case 'openai-responses':
      return { ...extra, ...(system === '' ? {} : { instructions: system }), input: turns };
    default:
      return { ...extra, ...(system === '' ? {} : { system }), messages: turns };
  }
}
