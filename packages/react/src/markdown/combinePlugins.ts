import { createElement } from 'react';
import type { ReactNode } from 'react';
import type { MarkedOptions, Token, TokenizerExtension } from 'marked';
import { CodeBlock } from '../components/CodeBlock.js';
import type { CodeBlockProps } from '../components/CodeBlock.js';
import { completeUnfinishedMarkdown } from './completeUnfinishedMarkdown.js';
import { lexerOptions } from './lexerOptions.js';
import type { CombinedMarkdownPlugin, MarkdownPlugin } from './MarkdownPlugin.js';

/**
 * Combines a message's plugins into the one it renders with: every plugin's syntax in one lexer,
 * the earliest cut any of them holds back, and each code block and token rendered by the first
 * plugin that takes it. A plugin sets its `combine` to this; Sluice's own markdown never imports
 * it, so an app that uses no plugin does not ship it.
 */
export function combinePlugins(plugins: readonly MarkdownPlugin[]): CombinedMarkdownPlugin {
  const extensions: LexerExtensions = { renderers: {}, childTokens: {} };
  const tokenizers = plugins.flatMap((plugin) => plugin.tokenizers ?? []);
  for (const tokenizer of tokenizers) addTokenizer(extensions, tokenizer);
  const holders = plugins.filter((plugin) => plugin.holdBack !== undefined);
  const textHooks = plugins.flatMap((plugin) => plugin.useText ?? []);
  const maskers = plugins.flatMap((plugin) => plugin.mask ?? []);
  return {
    complete(text) {
      let masked = text;
      for (const mask of maskers) masked = mask(masked);
      const completed = completeUnfinishedMarkdown(masked);
      if (masked === text) return completed;
      // The completion keeps the start of what it read and rewrites its end: the start is the
      // text's own, the rewritten end the completion's (closers, held-back lines, never TeX).
      let same = 0;
      const common = Math.min(masked.length, completed.length);
      while (same < common && masked.charCodeAt(same) === completed.charCodeAt(same)) same++;
      // A rewrite that reaches back into a masked construct (a link being written around a formula,
      // its bracket held back) would show the mask: complete the text as it is instead.
      let lastMasked = text.length - 1;
      while (lastMasked >= 0 && masked.charCodeAt(lastMasked) === text.charCodeAt(lastMasked)) lastMasked--;
      if (same <= lastMasked) return completeUnfinishedMarkdown(text);
      return text.slice(0, same) + completed.slice(same);
    },
    useText(text, streaming) {
      // The same hooks in the same order on every render: the list is fixed when the message mounts.
      // oxlint-disable-next-line react-hooks/rules-of-hooks -- the list is fixed, so the calls are too
      for (const useText of textHooks) text = useText(text, streaming);
      return text;
    },
    lexerOptions: tokenizers.length === 0 ? lexerOptions : { ...lexerOptions, extensions },
    holdBack(content) {
      if (holders.length === 0) return content;
      // Only the last line is looked at: the cost of an update must not grow with the message.
      const line = content.lastIndexOf('\n') + 1;
      const last = content.slice(line);
      let cut = last.length;
      for (const plugin of holders) {
        const at = plugin.holdBack!(last);
        if (at >= 0 && at < cut) cut = at;
      }
      return cut === last.length ? content : content.slice(0, line + cut);
    },
    Code(props: CodeBlockProps): ReactNode {
      for (const plugin of plugins) {
        const node = plugin.renderCode?.(props);
        if (node !== undefined) return node;
      }
      return createElement(CodeBlock, props);
    },
    Token({ token, caret }: { token: Token; caret: ReactNode }): ReactNode {
      for (const plugin of plugins) {
        const node = plugin.renderToken?.(token, caret);
        if (node !== undefined) return node;
      }
      return token.raw;
    },
  };
}

type LexerExtensions = NonNullable<MarkedOptions['extensions']>;

/** Adds a tokenizer the way marked's own `use` does: first in its level's list, its start to the start list. */
function addTokenizer(extensions: LexerExtensions, { level, tokenizer, start }: TokenizerExtension): void {
  const block = level === 'block';
  (block ? (extensions.block ??= []) : (extensions.inline ??= [])).unshift(tokenizer);
  if (start !== undefined) (block ? (extensions.startBlock ??= []) : (extensions.startInline ??= [])).push(start);
}
