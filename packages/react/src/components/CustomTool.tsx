import type { ToolCallPart } from '@sluice/stream-client';
import type { ToolRenderer } from './ChatMessageView.js';

/** Props of {@link CustomTool}. */
export interface CustomToolProps {
  part: ToolCallPart;
  /** The app's view of this tool (`renderTool[name]`). */
  render: ToolRenderer;
  onApproval?: ((toolCallId: string, approved: boolean, reason?: string) => void) | undefined;
}

/**
 * A tool call drawn by the app's own view, with Approve and Deny bound to the call. It loads with
 * the part views, as the built-in tool view does, so a chat without tools ships neither.
 */
export function CustomTool({ part, render, onApproval }: CustomToolProps) {
  return (
    <div className="sluice-tool-custom" data-state={part.state}>
      {render(part, {
        approve: () => onApproval?.(part.id, true),
        deny: (reason) => onApproval?.(part.id, false, reason),
      })}
    </div>
  );
}
