import type { ProviderFormat } from '../providers/Decoder.js';
import type { Continuation } from '../providers/StreamPart.js';
import type { ChatRole } from './ChatSession.js';

/** One turn of a conversation as a request carries it: who wrote it, and its text. */
export interface ChatTurn {
  role: ChatRole;
  content: string;
  /**
   * For an assistant turn, what its provider needs to continue from it (thinking signatures,
   * server tools, reasoning items): the reply's `continuation`, sent back as it came.
   */
  continuation?: Continuation | undefined;
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

type Item = Record<string, unknown>;

/** Anthropic blocks and Responses items that ask the client for an answer the history does not carry yet. */
const awaitingAnswer: ReadonlySet<unknown> = new Set([
  'tool_use',
  'function_call',
  'custom_tool_call',
  'local_shell_call',
  'apply_patch_call',
  'mcp_approval_request',
]);

/** Whether a block or item waits for the client: a call of its own, or a tool search it must run. */
function awaits(item: unknown): boolean {
  const fields = (item ?? {}) as Item;
  return (
    awaitingAnswer.has(fields['type']) || (fields['type'] === 'tool_search_call' && fields['execution'] === 'client')
  );
}

/**
 * The request body in the shape each provider expects: OpenAI Chat Completions puts the system
 * prompt first among `messages`; Anthropic takes it as `system`; the Responses API as
 * `instructions` with the conversation as `input`. For a Sluice server (`sluice`, `auto`, or a
 * custom decoder) the body is `{ system, messages }`, which `createChatHandler` reads.
 *
 * Each turn is reduced to `{ role, content }`, and `system` turns are joined to the system prompt
 * (after it), since no provider takes them among the turns in the same way. An assistant turn
 * with a continuation from the same provider goes back as that provider's own content (Anthropic's
 * blocks, with thinking signatures and server tools; the Responses API's output items), without
 * the calls that wait for a client answer the history does not carry. An assistant turn with
 * nothing to send (a reply that was only a tool call) is left out.
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
  const systemMessages = request.messages
    .filter((message) => message.role === 'system')
    .map((message) => message.content);
  const system = [request.system, ...systemMessages]
    .filter((text): text is string => text !== undefined && text !== '')
    .join('\n\n');
  const extra = request.body ?? {};
  const turns: unknown[] = [];
  // Only the latest reply goes back in the provider's own shape (a turn to continue, a tool loop);
  // earlier ones are their text, so a long conversation does not carry every search result again.
  let latestReply = -1;
  request.messages.forEach((message, index) => {
    if (message.role === 'assistant') latestReply = index;
  });
  for (const [index, message] of request.messages.entries()) {
    if (message.role === 'system') continue;
    const { role, content } = message;
    const continuation = index === latestReply ? message.continuation : undefined;
    if (role === 'assistant' && continuation !== undefined) {
      if (provider === 'anthropic' && continuation.provider === 'anthropic') {
        const blocks = answeredBlocks(continuation.content);
        if (blocks.length > 0) turns.push({ role, content: blocks });
        continue;
      }
      if (provider === 'openai-responses' && continuation.provider === 'openai-responses') {
        turns.push(...answeredItems(continuation.output));
        continue;
      }
      if (provider !== 'openai' && provider !== 'anthropic' && provider !== 'openai-responses') {
        // A Sluice server builds the provider's request: it gets the continuation as it came.
        turns.push({ role, content, continuation });
        continue;
      }
    }
    if (role === 'assistant' && content === '') continue;
    turns.push({ role, content });
  }
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

/**
 * Anthropic blocks to send back: all but the calls that wait for the client's answer, a server
 * tool call whose result never came (a turn paused mid-search), and empty text, which the API refuses.
 */
function answeredBlocks(content: readonly unknown[]): unknown[] {
  const answered = new Set<unknown>();
  for (const block of content) {
    const fields = (block ?? {}) as Item;
    if (typeof fields['type'] === 'string' && fields['type'].endsWith('_tool_result'))
      answered.add(fields['tool_use_id']);
  }
  return content.filter((block) => {
    const fields = (block ?? {}) as Item;
    if (awaits(block)) return false;
    if (fields['type'] === 'text') return fields['text'] !== '';
    if (fields['type'] === 'server_tool_use' || fields['type'] === 'mcp_tool_use') return answered.has(fields['id']);
    return true;
  });
}

/**
 * Responses output items to send back: all but the calls that wait for an answer, and the
 * reasoning items that led to them (the API refuses a reasoning item without the item it produced).
 */
function answeredItems(output: readonly unknown[]): unknown[] {
  const kept: unknown[] = [];
  let reasoning: unknown[] = [];
  for (const item of output) {
    if ((item as Item | null)?.['type'] === 'reasoning') {
      reasoning.push(item);
      continue;
    }
    if (!awaits(item)) kept.push(...reasoning, item);
    reasoning = [];
  }
  // Reasoning with nothing after it led to nothing that is sent: it goes too.
  return kept;
}
