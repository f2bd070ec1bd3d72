'use client';
import { memo, useMemo, useState } from 'react';
import type { CSSProperties, ReactNode } from 'react';
import { Caret } from '../markdown/Caret.js';
import { MarkdownBlocks } from '../markdown/MarkdownBlocks.js';
import type { MarkdownBlock, MarkdownBlockList } from '../markdown/MarkdownBlocks.js';
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
  return (
    <div
      className={withClassName('sluice-message', className)}
      aria-busy={streaming || undefined}
      data-streaming={streaming || undefined}
    >
      <MarkdownPolicyContext.Provider value={policy}>{blockGroups(list, streaming)}</MarkdownPolicyContext.Provider>
      {/* The last block is never settled while the text streams: no tail is no block at all. */}
      {streaming && list.tail.length === 0 ? <Caret /> : null}
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

/**
 * Blocks are rendered in groups this size, so an update visits a handful of groups, not every
 * block. The group the stream is writing in renders its settled blocks again on each update too
 * (React compares each): 32 made that cost show near 69,000 characters (1.33x an update near
 * 1,000, against 1.10-1.16x with 16).
 */
const GROUP_SIZE = 16;

/**
 * The blocks as memoised groups, settled and unsettled alike, each block in the group of its place
 * in the message. A block that settles stays where it was, under the same key, so React keeps its
 * elements: were the unsettled blocks rendered apart, every block would be built twice, a long
 * paragraph or code block all at once in the frame it ends, losing a selection made in it. The
 * settled list only grows, so a group of settled blocks alone never changes its props and React
 * skips it with one comparison: the cost of an update does not grow with the answer.
 */
function blockGroups({ settled, tail }: MarkdownBlockList, streaming: boolean): ReactNode[] {
  const groups: ReactNode[] = [];
  const total = settled.length + tail.length;
  for (let start = 0; start < total; start += GROUP_SIZE) {
    const end = Math.min(total, start + GROUP_SIZE);
    groups.push(
      <BlockGroup
        key={start}
        settled={settled}
        tail={end > settled.length ? tail : undefined}
        start={start}
        end={end}
        live={streaming && end === total}
      />,
    );
  }
  return groups;
}

const BlockGroup = memo(function BlockGroup({
  settled,
  tail,
  start,
  end,
  live,
}: {
  settled: readonly MarkdownBlock[];
  /** The unsettled blocks, for the group they reach into only: a group of settled blocks alone never changes. */
  tail: readonly MarkdownBlock[] | undefined;
  start: number;
  end: number;
  /** Whether this group ends with the block the stream is writing, which shows the caret. */
  live: boolean;
}) {
  const items: ReactNode[] = [];
  for (let index = start; index < end; index++) {
    const block = index < settled.length ? settled[index]! : tail![index - settled.length]!;
    items.push(<MarkdownBlockView key={block.key} token={block.token} live={live && index === end - 1} />);
  }
  return items;
});
