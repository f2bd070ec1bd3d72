import type { ToolRequestPart } from '@sluice/stream-client';
import { useChatLabels } from './ChatLabels.js';

/** Props of {@link ToolRequestNote}. */
export interface ToolRequestNoteProps {
  part: ToolRequestPart;
}

/**
 * What a chat shows for a request it has no way to run (a Responses custom tool, a shell command,
 * a patch): that the model asked, in one line, so the reply does not end without a word.
 */
export function ToolRequestNote({ part }: ToolRequestNoteProps) {
  const words = useChatLabels();
  const { name, kind } = part.request;
  return <p className="sluice-note">{(words.toolRequest ?? toolRequest)(name, kind)}</p>;
}

function toolRequest(name: string, kind: string): string {
  return `The model asks for ${name} (${kind}), which this chat does not run.`;
}
