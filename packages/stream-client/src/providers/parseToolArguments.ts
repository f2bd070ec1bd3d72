/** Parses a tool call's JSON arguments; an empty text means no arguments, invalid JSON gives `undefined`. */
export function parseToolArguments(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
