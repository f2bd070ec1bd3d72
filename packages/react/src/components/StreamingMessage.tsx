'use client';
import { memo, useMemo, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { Caret } from '../markdown/Caret.js';
import { MarkdownBlocks } from '../markdown/MarkdownBlocks.js';
import type { MarkdownBlock } from '../markdown/MarkdownBlocks.js';
import { MarkdownBlockView } from '../markdown/MarkdownBlockView.js';
import { MarkdownPolicyContext } from '../markdown/MarkdownPolicyContext.js';
import type { MarkdownContext, MarkdownPolicy } from '../markdown/MarkdownPolicyContext.js';
import { tokenText } from '../markdown/tokenText.js';
import { withClassName } from './withClassName.js';

/** Props of {@link StreamingMessage}. */
export interface StreamingMessageProps extends MarkdownPolicy {
  /** The markdown so far. */
  content: string;
  /** Whether more is coming: shows the caret, completes unfinished syntax, sets `aria-busy`. */
  streaming?: boolean | undefined;
  /**
   * The content stopped before its end (the reply was stopped, or failed): it stays as it was shown
   * while it streamed, unfinished syntax completed (`**bo` bold, a half link its text), without
   * the caret. Without it, a stopped reply would flip to its raw markers.
   */
  unfinished?: boolean | undefined;
  className?: string | undefined;
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
 * <StreamingMessage
 *   content={answer.text}
 *   streaming={answer.status === 'streaming'}
 *   unfinished={answer.status === 'aborted' || answer.status === 'error'}
 * />
 * ```
 */
export function StreamingMessage({
  content,
  streaming = false,
  unfinished = false,
  className,
  allowImage,
  highlight,
  plugins,
}: StreamingMessageProps) {
  // Plugins are read once, when the message first renders: another list would mean lexing it again.
  const [blocks] = useState(() => new MarkdownBlocks(plugins?.[0]?.combine(plugins)));
  // A message keeps the plugins it mounted with, so this calls the same hooks on every render.
  // oxlint-disable-next-line react/hooks -- whether there is a plugin is fixed when the message mounts
  const text = blocks.plugin?.useText(content, streaming) ?? content;
  // An unfinished message is completed as a streaming one is, so stopping it changes nothing shown.
  const completing = streaming || unfinished;
  const list = useMemo(() => blocks.update(text, completing, streaming), [blocks, text, completing, streaming]);
  const policy = useMemo<MarkdownContext>(
    () => ({ allowImage, highlight, plugin: blocks.plugin }),
    [allowImage, highlight, blocks],
  );
  // Screen readers hear each block once it is complete, not every token.
  const announced = streaming ? list.settled.at(-1) : (list.tail.at(-1) ?? list.settled.at(-1));
  const announcement = useMemo(() => (announced === undefined ? '' : tokenText(announced.token)), [announced]);
  const last = list.tail.length - 1;
  return (
    <div
      className={withClassName('sluice-message', className)}
      aria-busy={streaming || undefined}
      data-streaming={streaming || undefined}
    >
      <MarkdownPolicyContext.Provider value={policy}>
        {settledGroups(list.settled)}
        {list.tail.map((block, index) => (
          <MarkdownBlockView key={block.key} token={block.token} live={streaming && index === last} />
        ))}
      </MarkdownPolicyContext.Provider>
      {streaming && last === -1 ? <Caret /> : null}
      {/* Hidden by its own style, not the stylesheet's: unstyled, it would show each block twice. */}
      <div className="sluice-visually-hidden" style={visuallyHidden} aria-live="polite">
        {announcement}
      </div>
    </div>
  );
}

/** Present to screen readers, absent from the page. */
const visuallyHidden: CSSProperties = {
  // Out of the flow, so no margin of its own; a div has no padding or border to take away.
  position: 'absolute',
  width: 1,
  height: 1,
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  whiteSpace: 'nowrap',
};

/** Settled blocks are rendered in groups this size, so an update visits a handful of groups, not every block. */
const GROUP_SIZE = 32;

/**
 * The settled blocks as memoised groups. The settled list only grows, so a full group's props never
 * change and React skips it with one comparison: the cost of an update does not grow with the answer.
 */
function settledGroups(settled: readonly MarkdownBlock[]): ReactNode[] {
  const groups: ReactNode[] = [];
  for (let start = 0; start < settled.length; start += GROUP_SIZE) {
    groups.push(
      <SettledGroup key={start} blocks={settled} start={start} end={Math.min(settled.length, start + GROUP_SIZE)} />,
    );
  }
  return groups;
}

const SettledGroup = memo(function SettledGroup({
  blocks,
  start,
  end,
}: {
  blocks: readonly MarkdownBlock[];
  start: number;
  end: number;
}) {
  const items: ReactNode[] = [];
  for (let index = start; index < end; index++) {
    const block = blocks[index]!;
    items.push(<MarkdownBlockView key={block.key} token={block.token} live={false} />);
  }
  return items;
});
