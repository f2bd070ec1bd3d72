'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useIsomorphicLayoutEffect } from '../hooks/useIsomorphicLayoutEffect.js';
import { useChatLabels } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** The messages, rendered as they are given. */
  children: ReactNode;
  /** Changes whenever the content grows (the messages, or the streaming text): the list follows it. */
  contentKey?: unknown | undefined;
  className?: string | undefined;
  /** The accessible name of the scrolling region (`labels.conversation`). */
  label?: string | undefined;
  /** How close to the bottom, in pixels, scrolling down must come to follow the stream again. */
  threshold?: number | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/** Keys that scroll a focused region up. */
const UPWARD_KEYS: ReadonlySet<string> = new Set(['ArrowUp', 'PageUp', 'Home']);

/**
 * A scrolling list that follows the stream while the reader is at the bottom, and stops the moment
 * they move up, by any means: a wheel or trackpad (however small the step), a touch, a key, the
 * scrollbar. It lets go on the input itself, before the next token could pull the view back down,
 * and never moves the view again until the reader scrolls back to the bottom or presses
 * "Jump to latest". A window resize or content that shrinks is not taken for the reader's doing.
 */
export function MessageList({ children, contentKey, className, label, threshold = 32, labels }: MessageListProps) {
  const words = useChatLabels(labels);
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  // The ref is read by effects and observers; the state only decides whether the button shows.
  const followingRef = useRef(true);
  const [following, setFollowingState] = useState(true);
  const setFollowing = useCallback((value: boolean) => {
    if (followingRef.current === value) return;
    followingRef.current = value;
    setFollowingState(value);
  }, []);
  // Where the view was, and how far it could go, at the last scroll: to tell the reader's moves from clamps.
  const last = useRef({ top: 0, max: 0 });

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (element === null) return;
    element.scrollTop = element.scrollHeight;
    last.current = { top: element.scrollTop, max: element.scrollHeight - element.clientHeight };
  }, []);

  // Follow new content in the same frame it renders, so the view never shows a jump.
  useIsomorphicLayoutEffect(() => {
    if (followingRef.current) toBottom();
  }, [contentKey, children, toBottom]);

  // Content can also grow without a render of ours (images loading, code highlighted), and the
  // list can change size: while following, stay at the bottom.
  useEffect(() => {
    const inner = content.current;
    const outer = scroller.current;
    if (inner === null || outer === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (followingRef.current) toBottom();
    });
    observer.observe(inner);
    observer.observe(outer);
    return () => observer.disconnect();
  }, [toBottom]);

  // The reader's intent to go up lets go at once, before the browser has even scrolled.
  useEffect(() => {
    const element = scroller.current;
    if (element === null) return;
    let touchY: number | undefined;
    const release = () => setFollowing(false);
    // One abort removes every listener.
    const listening = new AbortController();
    const listen = <Type extends keyof HTMLElementEventMap>(
      type: Type,
      listener: (event: HTMLElementEventMap[Type]) => void,
    ) => element.addEventListener(type, listener, { passive: true, signal: listening.signal });
    listen('wheel', (event) => {
      if (event.deltaY < 0) release();
    });
    listen('touchstart', (event) => {
      touchY = event.touches[0]?.clientY;
    });
    listen('touchmove', (event) => {
      const y = event.touches[0]?.clientY;
      // A finger moving down drags the content down: the view goes up.
      if (touchY !== undefined && y !== undefined && y > touchY) release();
      touchY = y;
    });
    listen('keydown', (event) => {
      if (UPWARD_KEYS.has(event.key) || (event.key === ' ' && event.shiftKey)) release();
    });
    // A press on the scroller itself, not its content, is on its scrollbar.
    listen('pointerdown', (event) => {
      if (event.target === element) release();
    });
    return () => listening.abort();
  }, [setFollowing]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    const top = element.scrollTop;
    const max = element.scrollHeight - element.clientHeight;
    const previous = last.current;
    last.current = { top, max };
    if (top < previous.top - 1 && max >= previous.max) {
      // Up, with nothing shrunk under it: the reader's doing, by whatever input.
      setFollowing(false);
    } else if (!followingRef.current && top > previous.top && max - top <= threshold) {
      // Back down to the bottom: follow again.
      setFollowing(true);
    }
  };

  const jump = () => {
    setFollowing(true);
    toBottom();
  };

  return (
    <div className={withClassName('sluice-message-list', className)}>
      <div
        ref={scroller}
        className="sluice-message-list-scroller"
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label={label ?? words.conversation}
      >
        <div ref={content} className="sluice-message-list-content">
          {children}
        </div>
      </div>
      {following ? null : (
        <button type="button" className="sluice-jump" onClick={jump}>
          {words.jumpToLatest}
        </button>
      )}
    </div>
  );
}
