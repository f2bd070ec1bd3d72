import type { ToolCall } from '../providers/StreamPart.js';
import type { TextStream } from '../transport/TextStream.js';

/** What a store shows of a stream besides its text while it is live. */
export interface LiveParts {
  reasoning: string;
  toolCalls: readonly ToolCall[];
}

const NONE: LiveParts = Object.freeze({ reasoning: '', toolCalls: Object.freeze([]) as readonly ToolCall[] });

/**
 * Gathers reasoning and finished tool calls from a stream as they arrive, calling `changed` after
 * each, while `isCurrent()` says the stream is still the one shown. Returns a reader of what was
 * gathered, which keeps its identity until something new arrives.
 */
export function followLiveParts(stream: TextStream, isCurrent: () => boolean, changed: () => void): () => LiveParts {
  let live = NONE;
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
