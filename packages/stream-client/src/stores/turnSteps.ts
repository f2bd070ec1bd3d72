import type { ChatStep, ChatTurn } from './buildChatRequestBody.js';

/** A turn's steps: its own, or one made of its text and continuation. */
export function turnSteps(turn: ChatTurn): ChatStep[] {
  if (turn.steps !== undefined) return turn.steps;
  return [{ text: turn.content, ...(turn.continuation === undefined ? {} : { continuation: turn.continuation }) }];
}
