import { createElement } from 'react';
import { combinePlugins } from '../markdown/combinePlugins.js';
import type { MarkdownPlugin } from '../markdown/MarkdownPlugin.js';
import { MermaidDiagram } from './MermaidDiagram.js';
import type { DiagramLabels } from './MermaidDiagram.js';
import type { LoadMermaid } from './renderDiagram.js';

/** Options of {@link mermaid}. */
export interface MermaidOptions {
  /** The words the diagrams show, in the app's language. */
  labels?: Partial<DiagramLabels> | undefined;
  /** Loads mermaid; by default `import('mermaid')`. */
  load?: LoadMermaid | undefined;
}

const defaultLabels: DiagramLabels = {
  source: 'Source',
  diagram: 'Diagram',
  invalid: 'This diagram could not be drawn:',
};

/**
 * Mermaid diagrams in a message's markdown: a ` ```mermaid ` block shows its source while it
 * streams, and the diagram once the fence closes, drawn by mermaid (an optional peer dependency,
 * loaded with the first finished diagram) at its `strict` security level, sanitised again before
 * it reaches the page; the source is one click away.
 *
 * @example
 * ```tsx
 * import { mermaid } from '@sluice/react/mermaid';
 *
 * <StreamingMessage content={text} streaming plugins={[mermaid()]} />
 * ```
 */
export function mermaid({ labels, load = () => import('mermaid') }: MermaidOptions = {}): MarkdownPlugin {
  const words = { ...defaultLabels, ...labels };
  return {
    combine: combinePlugins,
    renderCode: (props) =>
      props.language === 'mermaid' ? createElement(MermaidDiagram, { ...props, load, labels: words }) : undefined,
  };
}
