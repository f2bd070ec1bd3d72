import type { ToolSpec } from '../tools/ToolDefinition.js';
import type { ChatRequest, ChatTurn } from './buildChatRequestBody.js';

/** A chat request made ready for a body of any shape. */
export interface RequestConversation {
  /** The system prompt, with the text of any system turns after it; empty for none. */
  system: string;
  /** The turns but system ones, only the latest reply keeping its continuations. */
  turns: ChatTurn[];
  /** The body's other fields. */
  extra: Record<string, unknown>;
  tools: readonly ToolSpec[];
}

/**
 * What every request body is made from: system turns joined to the system prompt, and earlier
 * replies as what they said and did, without what only their provider reads (only the latest
 * reply's continuation goes back, so a long conversation does not carry every search result again).
 */
export function requestConversation(request: ChatRequest): RequestConversation {
  const system = [request.system, ...request.messages.filter(isSystem).map((message) => message.content)]
    .filter((text): text is string => text !== undefined && text !== '')
    .join('\n\n');
  let latestReply = -1;
  request.messages.forEach((message, index) => {
    if (message.role === 'assistant') latestReply = index;
  });
  const turns = request.messages
    .filter((message) => !isSystem(message))
    .map((message) =>
      message.role === 'assistant' && message !== request.messages[latestReply]
        ? withoutContinuations(message)
        : message,
    );
  return { system, turns, extra: request.body ?? {}, tools: request.tools ?? [] };
}

function isSystem(turn: ChatTurn): boolean {
  return turn.role === 'system';
}

/** An earlier reply as what it said and did, without what only its provider reads. */
function withoutContinuations(turn: ChatTurn): ChatTurn {
  const { continuation: _continuation, steps, ...rest } = turn;
  if (steps === undefined) return rest;
  return { ...rest, steps: steps.map(({ continuation: _dropped, ...step }) => step) };
}
