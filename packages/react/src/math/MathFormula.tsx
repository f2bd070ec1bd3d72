'use client';
import { memo, useEffect, useState } from 'react';
import type { ReactNode } from 'react';
import { loadKatex, renderFormula } from './renderFormula.js';
import type { RenderedFormula } from './renderFormula.js';

/** Props of {@link MathFormula}. */
export interface MathFormulaProps {
  /** The TeX, without its delimiters. */
  tex: string;
  /** Displayed (`$$…$$`, `\[…\]`), or inline. */
  display: boolean;
  /** A block of its own (a displayed formula on lines of its own), or within a paragraph. */
  block?: boolean | undefined;
  /** Its closing delimiter has arrived: it can be rendered. An open formula shows as its source. */
  closed: boolean;
  /** Shown after the formula while it is being written. */
  caret?: ReactNode;
}

/**
 * A formula: its source in the math font while it is written, until KaTeX has loaded, and when
 * KaTeX cannot parse it (with KaTeX's message as its title); KaTeX's rendering once it is closed.
 * Memoised on its props and rendered once per TeX (see `renderFormula`), so a streaming paragraph's
 * finished formulas cost nothing on each update.
 */
export const MathFormula = memo(function MathFormula({ tex, display, block = false, closed, caret }: MathFormulaProps) {
  const rendered = useRenderedFormula(closed ? tex : undefined, display);
  const Tag = block ? 'div' : 'span';
  const className = display ? 'sluice-math sluice-math-display' : 'sluice-math';
  if (rendered !== undefined && 'html' in rendered) {
    // KaTeX's HTML is the one HTML made from model text that reaches the page: KaTeX escapes the
    // TeX's text and, with `trust: false`, emits no link, class, style or id the TeX asks for.
    return <Tag className={className} dangerouslySetInnerHTML={{ __html: rendered.html }} />;
  }
  // While it streams, the finished lines and the line being written are two text nodes, as in a
  // code block: an update changes the short one.
  const openLine = closed ? 0 : tex.lastIndexOf('\n') + 1;
  return (
    <Tag className={className}>
      <span
        className="sluice-math-source"
        title={rendered === undefined ? undefined : rendered.error}
        data-invalid={rendered === undefined ? undefined : true}
      >
        {closed ? tex : [tex.slice(0, openLine), tex.slice(openLine)]}
      </span>
      {caret}
    </Tag>
  );
});

/** The formula as KaTeX renders it, loading KaTeX on the first; `undefined` for no formula, or until KaTeX is here. */
function useRenderedFormula(tex: string | undefined, display: boolean): RenderedFormula | undefined {
  const [, setLoaded] = useState(false);
  const rendered = tex === undefined ? undefined : renderFormula(tex, display);
  const waiting = tex !== undefined && rendered === undefined;
  useEffect(() => {
    if (!waiting) return;
    let current = true;
    loadKatex().then(
      () => current && setLoaded(true),
      // Without KaTeX (offline, say), the formula stays its source.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [waiting]);
  return rendered;
}
