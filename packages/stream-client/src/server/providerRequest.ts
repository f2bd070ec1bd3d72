import { buildChatRequestBody } from '../stores/buildChatRequestBody.js';
import type { ChatRequest } from '../stores/buildChatRequestBody.js';

/** The providers the chat handler calls itself. */
export type ChatProvider = 'openai' | 'openai-responses' | 'anthropic';

/** What the chat handler knows of the provider it calls. */
export interface ProviderSettings {
  provider: ChatProvider;
  model: string;
  apiKey: string;
  /** As the provider's official SDK means it: OpenAI's includes `/v1`, Anthropic's does not. */
  baseURL: string;
  maxTokens?: number | undefined;
  providerOptions?: Record<string, unknown> | undefined;
  headers?: Record<string, string> | undefined;
}

/** The provider's defaults, as its official SDK has them. */
export const providerDefaults: Readonly<
  Record<ChatProvider, { baseURL: string; keyVariable: string; baseURLVariable: string }>
> = {
  openai: { baseURL: 'https://api.openai.com/v1', keyVariable: 'OPENAI_API_KEY', baseURLVariable: 'OPENAI_BASE_URL' },
  'openai-responses': {
    baseURL: 'https://api.openai.com/v1',
    keyVariable: 'OPENAI_API_KEY',
    baseURLVariable: 'OPENAI_BASE_URL',
  },
  anthropic: {
    baseURL: 'https://api.anthropic.com',
    keyVariable: 'ANTHROPIC_API_KEY',
    baseURLVariable: 'ANTHROPIC_BASE_URL',
  },
};

/** Anthropic requires a token limit; this one leaves room for a long answer. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

/**
 * The streaming request for a conversation, in the provider's own shape: the system prompt in its
 * place for each (first of OpenAI's messages, Anthropic's `system`, the Responses API's
 * `instructions`), the model, the token limit under the provider's name for it, and the
 * provider's own options merged last, so they can set anything but `stream`.
 */
export function providerRequest(
  settings: ProviderSettings,
  chat: ChatRequest,
): { url: string; headers: Record<string, string>; body: Record<string, unknown> } {
  const base = settings.baseURL.replace(/\/+$/, '');
  // The provider's own tools (web search...) come first, then the described ones after them.
  const { tools: nativeTools, ...options } = settings.providerOptions ?? {};
  const conversation: ChatRequest = {
    messages: chat.messages,
    ...(chat.system === undefined ? {} : { system: chat.system }),
    ...(chat.tools === undefined ? {} : { tools: chat.tools }),
    ...(Array.isArray(nativeTools) ? { body: { tools: nativeTools } } : {}),
  };
  switch (settings.provider) {
    case 'anthropic':
      return {
        url: `${base}/v1/messages`,
        headers: { 'x-api-key': settings.apiKey, 'anthropic-version': '2023-06-01', ...settings.headers },
        body: {
          model: settings.model,
          max_tokens: settings.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
          ...buildChatRequestBody(conversation, 'anthropic'),
          ...options,
          stream: true,
        },
      };
    case 'openai-responses':
      return {
        url: `${base}/responses`,
        headers: { authorization: `Bearer ${settings.apiKey}`, ...settings.headers },
        body: {
          model: settings.model,
          ...(settings.maxTokens === undefined ? {} : { max_output_tokens: settings.maxTokens }),
          ...buildChatRequestBody(conversation, 'openai-responses'),
          ...options,
          stream: true,
        },
      };
    default:
      return {
        url: `${base}/chat/completions`,
        headers: { authorization: `Bearer ${settings.apiKey}`, ...settings.headers },
        body: {
          model: settings.model,
          ...(settings.maxTokens === undefined ? {} : { [maxTokensField(base)]: settings.maxTokens }),
          ...buildChatRequestBody(conversation, 'openai'),
          stream_options: { include_usage: true },
          ...options,
          stream: true,
        },
      };
  }
}

/**
 * OpenAI itself has replaced `max_tokens` with `max_completion_tokens` (reasoning models refuse
 * the old name), while most servers that copy its API know only `max_tokens`.
 */
function maxTokensField(base: string): string {
  let host = '';
  try {
    host = new URL(base).hostname;
  } catch {
    // An unparsable base URL fails at the request; the field name does not matter then.
  }
  return host === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens';
}
