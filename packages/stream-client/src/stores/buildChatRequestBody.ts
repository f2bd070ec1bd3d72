import type { ProviderFormat } from '../providers/Decoder.js';
import type { Continuation } from '../providers/StreamPart.js';
import type { ToolSpec } from '../tools/ToolDefinition.js';
import { anthropicMessages } from './anthropicMessages.js';
import type { ChatRole } from './ChatSession.js';
import { openAIChatMessages } from './openAIChatMessages.js';
import { requestConversation } from './requestConversation.js';
import { responsesInput } from './responsesInput.js';
import { sluiceRequestBody } from './sluiceRequestBody.js';

/** A file sent with a user's message: an image, a PDF, a text file. `url` is a `data:` URL or an address. */
export interface ChatFile {
  mediaType: string;
  url: string;
  filename?: string | undefined;
}

/**
 * A tool call of an assistant turn, with its result once it has one. A call without a result is
 * not sent (no provider takes a call without its answer), except to a Sluice server.
 */
export interface ChatToolCall {
  id: string;
  name: string;
  /** The arguments. */
  input: unknown;
  /** The result; when `isError`, the words of the failure. */
  output?: unknown | undefined;
  isError?: boolean | undefined;
  /**
   * For a tool the server runs only once a person approves: their answer, which a Sluice server
   * acts on (it runs an approved call, and answers a denied one with the denial).
   */
  approval?: { approved: boolean; reason?: string | undefined } | undefined;
}

/** One request-and-response of an assistant turn: its text, its tool calls, what the provider needs to continue from it. */
export interface ChatStep {
  text: string;
  toolCalls?: ChatToolCall[] | undefined;
  continuation?: Continuation | undefined;
}

/** One turn of a conversation as a request carries it: who wrote it, and its text. */
export interface ChatTurn {
  role: ChatRole;
  content: string;
  /** A user turn's attachments. */
  files?: ChatFile[] | undefined;
  /**
   * An assistant turn's steps, when it called tools: each step's text and calls with their results,
   * in order. `content` is then the text of all of them.
   */
  steps?: ChatStep[] | undefined;
  /**
   * For an assistant turn of one step, what its provider needs to continue from it (thinking
   * signatures, server tools, reasoning items): the reply's continuation, sent back as it came.
   */
  continuation?: Continuation | undefined;
}

/**
 * What a chat request is built from: on the client, a `ChatSession`'s conversation; on a server,
 * what `useChat` sent.
 */
export interface ChatRequest {
  /** The conversation so far, the new user message last. `system` turns join the system prompt. */
  messages: readonly ChatTurn[];
  /** The system prompt. */
  system?: string | undefined;
  /** Extra fields of the body (a model name, temperature...). */
  body?: Record<string, unknown> | undefined;
  /** The tools the model may call, described for it. */
  tools?: readonly ToolSpec[] | undefined;
}

/**
 * The request body in the shape each provider expects: OpenAI Chat Completions puts the system
 * prompt first among `messages`; Anthropic takes it as `system`; the Responses API as
 * `instructions` with the conversation as `input`. For a Sluice server (`sluice`, `auto`, or a
 * custom decoder) the body is `{ system, messages, tools }`, which `createChatHandler` reads.
 *
 * `system` turns are joined to the system prompt (after it). A user turn's files go as the
 * provider's image, document and text content. An assistant turn's steps go as the provider's
 * own: its text, its tool calls and their results (OpenAI `tool` messages, Anthropic `tool_result`
 * blocks, Responses `function_call_output` items); calls without a result are left out. Only the
 * latest reply's continuation goes back (Anthropic's blocks with thinking signatures, the
 * Responses API's output items), so a long conversation does not carry every search result again.
 * Tools are described in the provider's shape, after any the body already names.
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
  const { system, turns, extra, tools } = requestConversation(request);
  const named = (key: string, described: unknown[]) =>
    described.length === 0
      ? {}
      : { [key]: [...(Array.isArray(extra[key]) ? (extra[key] as unknown[]) : []), ...described] };
  switch (provider) {
    case 'openai': {
      const messages = openAIChatMessages(turns);
      return {
        ...extra,
        messages: system === '' ? messages : [{ role: 'system', content: system }, ...messages],
        ...named(
          'tools',
          tools.map((tool) => ({ type: 'function', function: { ...describe(tool), parameters: tool.parameters } })),
        ),
      };
    }
    case 'anthropic':
      return {
        ...extra,
        ...(system === '' ? {} : { system }),
        messages: anthropicMessages(turns),
        ...named(
          'tools',
          tools.map((tool) => ({ ...describe(tool), input_schema: tool.parameters })),
        ),
      };
    case 'openai-responses':
      return {
        ...extra,
        ...(system === '' ? {} : { instructions: system }),
        input: responsesInput(turns),
        ...named(
          'tools',
          tools.map((tool) => ({ type: 'function', ...describe(tool), parameters: tool.parameters })),
        ),
      };
    default:
      return sluiceRequestBody(request);
  }
}

/** A tool's name and description, as every provider names them. */
function describe(tool: ToolSpec): { name: string; description?: string } {
  return { name: tool.name, ...(tool.description === undefined ? {} : { description: tool.description }) };
}
