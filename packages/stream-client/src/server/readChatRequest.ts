import type { Continuation } from '../providers/StreamPart.js';
import type { ChatRequest, ChatTurn } from '../stores/buildChatRequestBody.js';
import { ChatRequestError } from './ChatRequestError.js';
import { checkContinuation } from './checkContinuation.js';

const roles: ReadonlySet<unknown> = new Set(['user', 'assistant', 'system']);

/**
 * Reads what `useChat` sends (`{ system?, messages: [{ role, content }], ...body }`) into a
 * {@link ChatRequest}, or refuses it with a 400 that says which field is wrong. The body's other
 * fields are kept apart in `body`, for `prepareRequest` to use or ignore: none reaches the provider
 * by itself, so a browser cannot choose the model or the price.
 *
 * Everything the client asks of the system prompt ends up in `system`: its `system` field, then
 * the text of any `system` turns, which leave `messages`. So a `prepareRequest` that drops
 * `chat.system` drops all the client's instructions, not only some. A conversation must hold a
 * user turn: no provider answers one without.
 */
export function readChatRequest(value: unknown): ChatRequest {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('The body must be a JSON object: { "messages": [{ "role", "content" }], "system"? }.');
  }
  const { messages, system, ...rest } = value as Record<string, unknown>;
  if (!Array.isArray(messages) || messages.length === 0) {
    throw invalid('"messages" must be a non-empty array of { "role", "content" }.');
  }
  const turns = messages.map((message: unknown, index): ChatTurn => {
    if (message === null || typeof message !== 'object' || Array.isArray(message)) {
      throw invalid(`messages[${index}] must be an object { "role", "content" }.`);
    }
    const { role, content, continuation } = message as { role?: unknown; content?: unknown; continuation?: unknown };
    if (!roles.has(role)) {
      throw invalid(`messages[${index}].role must be "user", "assistant" or "system", not ${describe(role)}.`);
    }
    if (typeof content !== 'string') {
      throw invalid(`messages[${index}].content must be a string, not ${describe(content)}.`);
    }
    const turn: ChatTurn = { role: role as ChatTurn['role'], content };
    if (continuation !== undefined && continuation !== null) {
      const problem = role === 'assistant' ? checkContinuation(continuation) : 'only an assistant turn has one';
      if (problem !== undefined)
        throw invalid(`messages[${index}].continuation is not a reply's continuation: ${problem}.`);
      turn.continuation = continuation as Continuation;
    }
    return turn;
  });
  if (system !== undefined && system !== null && typeof system !== 'string') {
    throw invalid(`"system" must be a string, not ${describe(system)}.`);
  }
  const instructions = [typeof system === 'string' ? system : '', ...turns.filter(isSystem).map((turn) => turn.content)]
    .filter((text) => text !== '')
    .join('\n\n');
  const conversation = turns.filter((turn) => !isSystem(turn));
  if (!conversation.some((turn) => turn.role === 'user')) {
    throw invalid('"messages" must hold at least one turn with role "user".');
  }
  const request: ChatRequest = { messages: conversation };
  if (instructions !== '') request.system = instructions;
  if (Object.keys(rest).length > 0) request.body = rest;
  return request;
}

function isSystem(turn: ChatTurn): boolean {
  return turn.role === 'system';
}

function invalid(message: string): ChatRequestError {
  return new ChatRequestError(400, message, 'invalid_request', false);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
