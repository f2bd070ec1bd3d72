'use client';
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { useIsomorphicLayoutEffect } from '../hooks/useIsomorphicLayoutEffect.js';
import { withClassName } from './withClassName.js';

/** Props of {@link MessageList}. */
export interface MessageListProps {
  /** The messages, rendered as they are given. */
  children: ReactNode;
  /** Changes whenever the content grows (the messages, or the streaming text): the list follows it. */
  contentKey?: unknown;
  className?: string;
  /** The accessible name of the scrolling region. */
  label?: string;
  /** How close to the bottom, in pixels, still counts as reading the latest. */
  threshold?: number;
}

/**
 * A scrolling list that follows the stream while the reader is at the bottom, stops following the
 * moment they scroll up to read, and offers a "Jump to latest" control until they come back.
 */
export function MessageList({
  children,
  contentKey,
  className,
  label = 'Conversation',
  threshold = 32,
}: MessageListProps) {
  const scroller = useRef<HTMLDivElement>(null);
  const content = useRef<HTMLDivElement>(null);
  // The ref is read by effects and observers; the state only decides whether the button shows.
  const followingRef = useRef(true);
  const [following, setFollowingState] = useState(true);
  const setFollowing = (value: boolean) => {
    followingRef.current = value;
    setFollowingState(value);
  };

  const toBottom = useCallback(() => {
    const element = scroller.current;
    if (element !== null) element.scrollTop = element.scrollHeight;
  }, []);

  // Follow new content in the same frame it renders, so the view never shows a jump.
  useIsomorphicLayoutEffect(() => {
    if (followingRef.current) toBottom();
  }, [contentKey, children, toBottom]);

  // Content can also grow without a render of ours: images loading, code being highlighted.
  useEffect(() => {
    const inner = content.current;
    if (inner === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (followingRef.current) toBottom();
    });
    observer.observe(inner);
    return () => observer.disconnect();
  }, [toBottom]);

  const onScroll = () => {
    const element = scroller.current;
    if (element === null) return;
    const distance = element.scrollHeight - element.scrollTop - element.clientHeight;
    const atBottom = distance <= threshold;
    if (atBottom !== followingRef.current) setFollowing(atBottom);
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
        aria-label={label}
      >
        <div ref={content} className="sluice-message-list-content">
          {children}
        </div>
      </div>
      {following ? null : (
        <button type="button" className="sluice-jump" onClick={jump}>
          Jump to latest
        </button>
      )}
    </div>
  );
}
