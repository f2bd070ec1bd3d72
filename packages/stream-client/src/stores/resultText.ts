import type { ChatToolCall } from './buildChatRequestBody.js';

/** A tool's result as the text providers take: a string as it is, anything else as JSON. */
export function resultText(call: ChatToolCall): string {
  const { output } = call;
  if (typeof output === 'string') return output;
  try {
    return JSON.stringify(output) ?? '';
  } catch {
    return String(output);
  }
}
