'use client';
import { memo, useContext, useEffect, useRef, useState } from 'react';
import type { ReasoningPart } from '@sluice/stream-client';
import type { MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import { StreamingMessage } from './StreamingMessage.js';
import { ChatLabelsContext } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** Props of {@link Reasoning}. */
export interface ReasoningProps {
  part: ReasoningPart;
  markdown?: MarkdownPolicy | undefined;
  className?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/**
 * The model's reasoning, collapsible: open while it thinks, closed with "Thought for 12 s" once it
 * is done (unless the person opened or closed it themselves), its markdown rendered as it streams.
 */
export const Reasoning = memo(function Reasoning({ part, markdown, className, labels }: ReasoningProps) {
  const words = { ...useContext(ChatLabelsContext), ...labels };
  const thinking = part.state === 'streaming';
  const [open, setOpen] = useState(thinking);
  const touched = useRef(false);
  useEffect(() => {
    // Closed once the thinking is done, unless the person chose for themselves.
    if (!thinking && !touched.current) setOpen(false);
  }, [thinking]);
  return (
    <details
      className={withClassName('sluice-reasoning', className)}
      open={open}
      data-state={part.state}
      onToggle={(event) => {
        const now = event.currentTarget.open;
        if (now !== open) {
          touched.current = true;
          setOpen(now);
        }
      }}
    >
      <summary>
        {thinking ? (words.reasoning ?? 'Thinking…') : (words.thoughtFor ?? thoughtFor)(part.durationMs)}
      </summary>
      {open ? <StreamingMessage {...markdown} content={part.text} streaming={thinking} /> : null}
    </details>
  );
});

function thoughtFor(durationMs: number | undefined): string {
  if (durationMs === undefined) return 'Thoughts';
  const seconds = Math.round(durationMs / 1000);
  if (seconds < 1) return 'Thought for a moment';
  return seconds < 60 ? `Thought for ${seconds} s` : `Thought for ${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
