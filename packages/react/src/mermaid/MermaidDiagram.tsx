'use client';
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { CodeBlockProps } from '../components/CodeBlock.js';
import { renderDiagram } from './renderDiagram.js';
import type { LoadMermaid, RenderedDiagram } from './renderDiagram.js';

/** The words a diagram shows. */
export interface DiagramLabels {
  /** The button that shows the diagram's source. */
  source: string;
  /** The button that shows the diagram again. */
  diagram: string;
  /** Before mermaid's message, for a diagram it cannot draw. */
  invalid: string;
}

/** Props of {@link MermaidDiagram}: a code block's, and how to load mermaid. */
export interface MermaidDiagramProps extends CodeBlockProps {
  load: LoadMermaid;
  labels: DiagramLabels;
}

/**
 * A mermaid diagram: its source while the fence is open and until mermaid has drawn it, then the
 * diagram, with a button that shows the source instead. A diagram mermaid cannot draw shows its
 * message and the source. The box keeps at least the height the source had, so the swap does not
 * pull the text below it up.
 */
export function MermaidDiagram({ code, language, partial = false, caret, load, labels }: MermaidDiagramProps) {
  const [drawn, setDrawn] = useState<{ for: string; diagram: RenderedDiagram; height: number } | undefined>();
  const [showSource, setShowSource] = useState(false);
  const body = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (partial) return;
    let current = true;
    void renderDiagram(code, load).then((diagram) => {
      if (current) setDrawn({ for: code, diagram, height: body.current?.offsetHeight ?? 0 });
    });
    return () => {
      current = false;
    };
  }, [partial, code, load]);
  const diagram = !partial && drawn?.for === code ? drawn.diagram : undefined;
  const svg = diagram !== undefined && 'svg' in diagram ? diagram.svg : undefined;
  const error = diagram !== undefined && 'error' in diagram ? diagram.error : undefined;
  const showDiagram = svg !== undefined && !showSource;
  useLayoutEffect(() => {
    // A copy of the sanitised element: the cached one stays detached, for the next view of this diagram.
    if (showDiagram) body.current?.replaceChildren(svg.cloneNode(true));
  }, [showDiagram, svg]);
  const openLine = partial ? code.lastIndexOf('\n') + 1 : 0;
  return (
    <div className="sluice-code sluice-diagram" data-partial={partial || undefined}>
      <div className="sluice-code-header">
        <span className="sluice-code-language">{language ?? 'mermaid'}</span>
        {svg !== undefined ? (
          <button type="button" className="sluice-copy" onClick={() => setShowSource(!showSource)}>
            {showSource ? labels.diagram : labels.source}
          </button>
        ) : null}
      </div>
      {error !== undefined ? (
        <p className="sluice-diagram-error" role="alert">
          {labels.invalid} {error}
        </p>
      ) : null}
      {showDiagram ? (
        <div
          key="diagram"
          ref={body}
          className="sluice-diagram-view"
          role="img"
          aria-label={labels.diagram}
          style={{ minHeight: drawn!.height }}
        />
      ) : (
        <div key="source" ref={body}>
          <pre>
            <code className="language-mermaid">
              {partial ? [code.slice(0, openLine), code.slice(openLine)] : code}
              {caret}
            </code>
          </pre>
        </div>
      )}
    </div>
  );
}
