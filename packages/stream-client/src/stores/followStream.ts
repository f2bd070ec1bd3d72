import type { ToolCall } from '../providers/StreamPart.js';
import type { TextStream } from '../transport/TextStream.js';

/** What a store shows of a stream besides its text while it is live. */
export interface LiveParts {
  reasoning: string;
  toolCalls: readonly ToolCall[];
}

const NONE: LiveParts = Object.freeze({ reasoning: '', toolCalls: Object.freeze([]) as readonly ToolCall[] });

/**
 * How a store follows the stream it shows: each text delta goes to `onToken` at once, and with
 * reasoning and finished tool calls (gathered here) it calls `changed`, for the store to schedule
 * a publish. Nothing is passed on once `isCurrent()` says the stream was replaced or stopped.
 * Returns a reader of the gathered parts, which keeps its identity until something new arrives.
 */
export function followStream(
  stream: TextStream,
  isCurrent: () => boolean,
  onToken: (delta: string, text: string) => void,
  changed: () => void,
): () => LiveParts {
  let live = NONE;
  stream.on('text', (delta, text) => {
    if (!isCurrent()) return;
    onToken(delta, text);
    changed();
  });
  stream.on('part', (part) => {
    if (!isCurrent()) return;
    if (part.type === 'reasoning-delta') live = { ...live, reasoning: live.reasoning + part.text };
    else if (part.type === 'tool-call') live = { ...live, toolCalls: [...live.toolCalls, part.toolCall] };
    else return;
    changed();
  });
  return () => live;
}

/** The reader for no stream at all. */
export const noLiveParts = (): LiveParts => NONE;
