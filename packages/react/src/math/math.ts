import { createElement } from 'react';
import { combinePlugins } from '../markdown/combinePlugins.js';
import type { MarkdownPlugin } from '../markdown/MarkdownPlugin.js';
import { blockMath } from './blockMath.js';
import { holdBackMath } from './holdBackMath.js';
import { inlineMath } from './inlineMath.js';
import { maskMath } from './maskMath.js';
import { MathFormula } from './MathFormula.js';
import type { MathToken } from './MathToken.js';

/**
 * Math in a message's markdown: `$…$` and `\(…\)` inline, `$$…$$` and `\[…\]` displayed, rendered
 * by KaTeX (an optional peer dependency, loaded the first time a formula is finished). While the
 * answer streams, an unfinished inline formula is held back and an unfinished displayed one shows
 * as its source; prices ("$5 and $10") stay text. The app loads KaTeX's stylesheet
 * (`import 'katex/dist/katex.min.css'`).
 *
 * @example
 * ```tsx
 * import { math } from '@sluice/react/math';
 * import 'katex/dist/katex.min.css';
 *
 * <StreamingMessage content={text} streaming plugins={[math()]} />
 * ```
 */
export function math(): MarkdownPlugin {
  return plugin;
}

const plugin: MarkdownPlugin = {
  combine: combinePlugins,
  tokenizers: [blockMath, inlineMath],
  holdBack: holdBackMath,
  mask: maskMath,
  renderToken(token, caret) {
    if (token.type !== 'math' && token.type !== 'mathBlock') return undefined;
    const { text, display, closed } = token as MathToken;
    return createElement(MathFormula, { tex: text, display, block: token.type === 'mathBlock', closed, caret });
  },
};
