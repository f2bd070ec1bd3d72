'use client';
import type { ReactNode } from 'react';
import type { MessagePart } from '@sluice/stream-client';
import type { ChatMessageViewProps } from './ChatMessageView.js';
import { CustomTool } from './CustomTool.js';
import { DataPart } from './DataPart.js';
import { Reasoning } from './Reasoning.js';
import { ServerTool } from './ServerTool.js';
import { ToolCall } from './ToolCall.js';
import { ToolRequestNote } from './ToolRequestNote.js';

/** Props of {@link PartView}: the part, and what a message renders its parts with. */
export interface PartViewProps extends Pick<
  ChatMessageViewProps,
  'markdown' | 'onToolApproval' | 'renderTool' | 'renderData'
> {
  part: MessagePart;
}

/**
 * A reply's part other than its text: reasoning, a tool call (an app's own view of it, or
 * `ToolCall`), the provider's own tool, a tool request, data. Loaded with the part views, so a chat
 * whose replies are only text never ships the choosing either. Sources and files show under the
 * message, so nothing here.
 */
export function PartView({ part, markdown, onToolApproval, renderTool, renderData }: PartViewProps): ReactNode {
  switch (part.type) {
    case 'reasoning':
      return <Reasoning part={part} markdown={markdown} />;
    case 'tool-call': {
      const render = renderTool?.[part.name];
      return render === undefined ? (
        <ToolCall part={part} onApproval={onToolApproval} />
      ) : (
        <CustomTool part={part} render={render} onApproval={onToolApproval} />
      );
    }
    case 'server-tool':
      return <ServerTool part={part} />;
    case 'tool-request':
      return <ToolRequestNote part={part} />;
    case 'text':
    case 'step-start':
    case 'source':
    case 'file':
      return null;
    default: {
      const render = renderData?.[part.type.slice('data-'.length)];
      return render === undefined ? null : <DataPart part={part} render={render} />;
    }
  }
}
