'use client';
import { useMemo, useState } from 'react';
import { MarkdownBlocks } from '../markdown/MarkdownBlocks.js';
import { MarkdownBlockView, MarkdownPolicyContext } from '../markdown/MarkdownBlockView.js';
import type { MarkdownPolicy } from '../markdown/MarkdownBlockView.js';
import { tokenText } from '../markdown/tokenText.js';

/** Props of {@link StreamingMessage}. */
export interface StreamingMessageProps extends MarkdownPolicy {
  /** The markdown so far. */
  content: string;
  /** Whether more is coming: shows the caret, completes unfinished syntax, sets `aria-busy`. */
  streaming?: boolean;
  className?: string;
}

/**
 * Markdown that renders progressively as it streams, with `marked` as the parser. Settled blocks
 * are lexed and rendered once; each update re-lexes and re-renders only the unfinished tail, so an
 * update costs the same at the end of a long answer as at its start. Unfinished syntax at the end
 * never shows its raw markers. Model output is rendered as React elements, never as HTML: raw HTML
 * shows as text, links are limited to http, https, mailto and relative targets, and images from
 * other origins are not loaded unless `allowImage` says so.
 *
 * @example
 * ```tsx
 * <StreamingMessage content={answer.text} streaming={answer.status === 'streaming'} />
 * ```
 */
export function StreamingMessage({
  content,
  streaming = false,
  className,
  allowImage,
  highlight,
}: StreamingMessageProps) {
  const [blocks] = useState(() => new MarkdownBlocks());
  const list = useMemo(() => blocks.update(content, streaming), [blocks, content, streaming]);
  const policy = useMemo<MarkdownPolicy>(
    () => ({ ...(allowImage === undefined ? {} : { allowImage }), ...(highlight === undefined ? {} : { highlight }) }),
    [allowImage, highlight],
  );
  // Screen readers hear each block once it is complete, not every token.
  const announced = streaming ? list.settled.at(-1) : (list.tail.at(-1) ?? list.settled.at(-1));
  const announcement = useMemo(() => (announced === undefined ? '' : tokenText(announced.token)), [announced]);
  const last = list.tail.length - 1;
  return (
    <div
      className={className === undefined ? 'sluice-message' : `sluice-message ${className}`}
      aria-busy={streaming || undefined}
      data-streaming={streaming || undefined}
    >
      <MarkdownPolicyContext.Provider value={policy}>
        {list.settled.map((block) => (
          <MarkdownBlockView key={block.key} token={block.token} caret={false} live={false} />
        ))}
        {list.tail.map((block, index) => (
          <MarkdownBlockView
            key={block.key}
            token={block.token}
            caret={streaming && index === last}
            live={streaming && index === last}
          />
        ))}
      </MarkdownPolicyContext.Provider>
      {streaming && last === -1 ? <span className="sluice-caret" aria-hidden="true" /> : null}
      <div className="sluice-visually-hidden" aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}
