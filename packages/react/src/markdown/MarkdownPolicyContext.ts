import { createContext } from 'react';
import type { ReactNode } from 'react';
import type { CombinedMarkdownPlugin, MarkdownPlugin } from './MarkdownPlugin.js';

/** How model output may reach the page: what images load, how code is highlighted, which plugins render. */
export interface MarkdownPolicy {
  /**
   * Whether an image may load. By default only relative (same-origin) images do: an image from
   * another origin is a request the model chose, which can carry the conversation out. Refused
   * images are shown as a link.
   */
  allowImage?: ((src: string) => boolean) | undefined;
  /** Highlights code: return React nodes (not HTML), sync or as a promise. Runs once per finished block. */
  highlight?: ((code: string, language: string | undefined) => ReactNode | Promise<ReactNode>) | undefined;
  /** Renderers loaded on demand: highlighting as code streams, math, diagrams (see {@link MarkdownPlugin}). */
  plugins?: readonly MarkdownPlugin[] | undefined;
}

/** What the markdown below a StreamingMessage renders with: its policy, and its plugins combined. */
export interface MarkdownContext extends Omit<MarkdownPolicy, 'plugins'> {
  plugin?: CombinedMarkdownPlugin | undefined;
}

/** The policy the markdown below it renders with; a StreamingMessage provides it from its props. */
export const MarkdownPolicyContext = createContext<MarkdownContext>({});
