import { createContext } from 'react';
import type { ReactNode } from 'react';

/** How model output may reach the page: what images load, and how code is highlighted. */
export interface MarkdownPolicy {
  /**
   * Whether an image may load. By default only relative (same-origin) images do: an image from
   * another origin is a request the model chose, which can carry the conversation out. Refused
   * images are shown as a link.
   */
  allowImage?: ((src: string) => boolean) | undefined;
  /** Highlights code: return React nodes (not HTML), sync or as a promise. Runs once per finished block. */
  highlight?: ((code: string, language: string | undefined) => ReactNode | Promise<ReactNode>) | undefined;
}

/** The policy the markdown below it renders with; a StreamingMessage provides it from its props. */
export const MarkdownPolicyContext = createContext<MarkdownPolicy>({});
