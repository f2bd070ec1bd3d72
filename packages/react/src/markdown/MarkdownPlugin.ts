import type { ComponentType, ReactNode } from 'react';
import type { MarkedOptions, Token, TokenizerExtension } from 'marked';
import type { CodeBlockProps } from '../components/CodeBlock.js';

/**
 * Something a message's markdown can do beyond what Sluice renders itself: highlighted code, math,
 * diagrams. Plugins live on their own subpaths (`@sluice/react/highlight`, `/math`, `/mermaid`) and
 * load their heavy library on first use, so an app that passes none ships none of them, not even
 * the code that combines them: each plugin carries it (`combine`).
 */
export interface MarkdownPlugin {
  /** Syntax of the plugin's own (marked's tokenizer extensions). */
  readonly tokenizers?: readonly TokenizerExtension[] | undefined;
  /**
   * Renders a code block (the props a `CodeBlock` would get), or returns `undefined` to leave it to
   * the next plugin, then to Sluice's `CodeBlock`.
   */
  readonly renderCode?: ((props: CodeBlockProps) => ReactNode) | undefined;
  /** Renders a token of one of the plugin's own types, `caret` at its end while it is being written. */
  readonly renderToken?: ((token: Token, caret: ReactNode) => ReactNode) | undefined;
  /**
   * While the message streams: where in its last line to stop showing text, so that an unfinished
   * construct (an unclosed `$x`) waits for its end instead of showing as something else; -1 for nowhere.
   */
  readonly holdBack?: ((line: string) => number) | undefined;
  /**
   * The text with the plugin's own constructs made plain (same length, same line breaks), for the
   * completion of unfinished markdown to read: a formula's `*` is no emphasis to close.
   */
  readonly mask?: ((text: string) => string) | undefined;
  /**
   * A hook: of the text received, what to show now (smooth pacing shows a lump over several
   * frames). Called on every render of the message; a message keeps the plugins it first rendered
   * with, so the hooks it calls never change.
   */
  readonly useText?: ((text: string, streaming: boolean) => string) | undefined;
  /** Combines a message's plugins into the one it renders with. Every plugin carries the same function. */
  readonly combine: (plugins: readonly MarkdownPlugin[]) => CombinedMarkdownPlugin;
}

/** A message's plugins as one: what Sluice's markdown calls. Made by {@link MarkdownPlugin.combine}. */
export interface CombinedMarkdownPlugin {
  /** The lexer's options, with every plugin's syntax. */
  readonly lexerOptions: MarkedOptions;
  /** A hook: the text to show of the text received, through each plugin's `useText` in turn. */
  readonly useText: (text: string, streaming: boolean) => string;
  /** Completes unfinished markdown at the end of streaming text, reading it as the plugins mask it. */
  readonly complete: (text: string) => string;
  /** The streaming text as it should show: the content with what a plugin holds back cut off. */
  readonly holdBack: (content: string) => string;
  /** Renders a code block. */
  readonly Code: ComponentType<CodeBlockProps>;
  /** Renders a token of a plugin's own type. */
  readonly Token: ComponentType<{ token: Token; caret: ReactNode }>;
}
