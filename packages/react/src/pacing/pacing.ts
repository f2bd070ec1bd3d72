import { combinePlugins } from '../markdown/combinePlugins.js';
import type { MarkdownPlugin } from '../markdown/MarkdownPlugin.js';
import { usePacedText } from './usePacedText.js';
import type { UsePacedTextOptions } from './usePacedText.js';

/**
 * Smooth pacing as a markdown plugin, for the components that take plugins (`Chat`'s
 * `markdown.plugins`, `StreamingMessage`'s `plugins`): each streaming message shows its text at
 * the pace it arrives (see {@link usePacedText}), the whole of it at once when it ends.
 *
 * @example
 * ```tsx
 * <Chat url="/api/chat" markdown={{ plugins: [pacing()] }} />
 * ```
 */
export function pacing(options: UsePacedTextOptions = {}): MarkdownPlugin {
  return {
    combine: combinePlugins,
    useText: (text, streaming) => usePacedText(text, streaming, options),
  };
}
