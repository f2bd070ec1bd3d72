'use client';
/**
 * `@sluice/react/mermaid`: mermaid diagrams in a message's markdown, on their own entry so that
 * apps without diagrams never load them.
 *
 * @packageDocumentation
 */
export { mermaid } from './mermaid.js';
export type { MermaidOptions } from './mermaid.js';
export { MermaidDiagram } from './MermaidDiagram.js';
export type { DiagramLabels, MermaidDiagramProps } from './MermaidDiagram.js';
export type { LoadMermaid } from './renderDiagram.js';
