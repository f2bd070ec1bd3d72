import { createElement } from 'react';
import { combinePlugins } from '../markdown/combinePlugins.js';
import type { MarkdownPlugin } from '../markdown/MarkdownPlugin.js';
import { CodeHighlighter } from './CodeHighlighter.js';
import type { LanguageLoader, ThemeLoader, WorkerOption } from './CodeHighlighter.js';
import { defaultLanguages } from './defaultLanguages.js';
import { HighlightedCode } from './HighlightedCode.js';

/** Options of {@link highlight}. */
export interface HighlightOptions {
  /**
   * Languages besides the default ones (TypeScript, JavaScript, TSX, JSX, JSON, Python, shell, HTML,
   * CSS, SQL, Go, Rust, YAML, diff, Java, C, C++, C#, Ruby, PHP, Kotlin, Swift, Markdown and their
   * usual short names), by the name a fence gives them: `{ elixir: () => import('shiki/langs/elixir.mjs') }`.
   * A name given here replaces the default one. Blocks in a language known to neither stay plain.
   */
  languages?: Readonly<Record<string, LanguageLoader>> | undefined;
  /**
   * The colour themes, used as the reader's colour scheme says (`light-dark()`). By default GitHub's,
   * which Sluice's own colours follow: `shiki/themes/github-light-default.mjs` and `github-dark-default.mjs`.
   */
  themes?: { light: ThemeLoader; dark: ThemeLoader } | undefined;
  /**
   * Where code is tokenized. By default (`true`) in a Web Worker, where the browser has them, so
   * that shiki compiling a grammar's patterns never blocks the page; the worker is
   * `highlightWorker.js` beside this module, which bundlers that know
   * `new Worker(new URL(…, import.meta.url))` (Vite, webpack 5) bundle themselves. `false`
   * tokenizes on the main thread, a batch of lines per task. A function makes the worker the app's
   * own way, from the `@sluice/react/highlight/worker` entry, for a bundler that needs to be told:
   *
   * ```ts
   * import HighlightWorker from '@sluice/react/highlight/worker?worker'; // Vite
   *
   * highlight({ worker: () => new HighlightWorker() });
   * ```
   *
   * If the worker cannot start or fails (a content security policy, a missing file), tokenizing
   * moves to the main thread by itself: lines already shown stay, the rest follow.
   */
  worker?: WorkerOption | undefined;
}

/**
 * A markdown plugin that highlights code blocks with shiki, line by line as they stream, in a Web
 * Worker where there is one. Shiki loads with the first code block (its core and JavaScript regex
 * engine, in the worker), and each language's grammar with that language's first block; until
 * then, and for languages it does not know, blocks show as Sluice shows them plain. Tokens are
 * rendered as React elements, never as HTML. Make the plugin once, outside your components: each
 * one keeps its own worker and highlighted lines for the life of the page.
 *
 * @example
 * ```tsx
 * import { highlight } from '@sluice/react/highlight';
 *
 * const plugins = [highlight()];
 * <StreamingMessage content={text} streaming plugins={plugins} />;
 * ```
 */
export function highlight(options: HighlightOptions = {}): MarkdownPlugin {
  const highlighter = new CodeHighlighter(
    options.languages === undefined ? defaultLanguages : { ...defaultLanguages, ...options.languages },
    options.themes ?? defaultThemes,
    options.worker ?? true,
  );
  return {
    combine: combinePlugins,
    renderCode: (props) =>
      props.language !== undefined && highlighter.knows(props.language)
        ? createElement(HighlightedCode, { ...props, language: props.language, highlighter })
        : undefined,
  };
}

const defaultThemes = {
  light: () => import('shiki/themes/github-light-default.mjs'),
  dark: () => import('shiki/themes/github-dark-default.mjs'),
};
