import type { ProviderFormat } from '../providers/Decoder.js';
import type { ChatMessage } from './ChatSession.js';

/** What a chat request is built from. */
export interface ChatRequest {
  /** The conversation so far, the new user message last. Failed replies are left out. */
  messages: readonly ChatMessage[];
  system?: string;
  /** The extra fields from the session's `body` option. */
  body: Record<string, unknown>;
}

/**
 * The request body in the shape each provider expects: OpenAI Chat Completions puts the system
 * prompt first among `messages`; Anthropic takes it as `system`; the Responses API as
 * `instructions` with the conversation as `input`. For a relay (`sluice`, `auto`, or a custom
 * decoder) the body is `{ system, messages }`, which a relay passes on as it likes.
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
  switch (provider) {
    case 'openai':
      return { ...request.body, messages: system === '' ? turns : [{ role: 'system', content: system }, ...turns] };
    case 'anthropic':
      return { ...request.body, ...(system === '' ? {} : { system }), messages: turns };
    case 'openai-responses':
      return { ...request.body, ...(system === '' ? {} : { instructions: system }), input: turns };
    default:
      return { ...request.body, ...(system === '' ? {} : { system }), messages: turns };
  }
}
