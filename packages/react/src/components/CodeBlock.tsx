'use client';
import { useContext, useEffect, useMemo, useState } from 'react';
import { ChatLabelsContext } from './ChatLabels.js';
import type { ReactNode } from 'react';

/** Props of {@link CodeBlock}. */
export interface CodeBlockProps {
  /** The block's exact source. */
  code: string;
  language?: string | undefined;
  /** The block is still streaming (its closing fence has not arrived). */
  partial?: boolean | undefined;
  /** Highlights the code once it is complete: React nodes, sync or async. */
  highlight?: ((code: string, language: string | undefined) => ReactNode | Promise<ReactNode>) | undefined;
  /** Shown at the end of the code while it streams. */
  caret?: ReactNode | undefined;
  /** The code as a plugin renders it (highlighted lines as they complete), in place of the plain text. */
  children?: ReactNode | undefined;
}

/**
 * A code block with its language and a copy button. While it streams it shows plain text (the
 * same characters in the same font, so highlighting when it completes moves nothing) and the copy
 * button says the code is partial.
 */
export function CodeBlock({ code, language, partial = false, highlight, caret, children }: CodeBlockProps) {
  const highlighted = useHighlight(partial ? undefined : highlight, code, language);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = setTimeout(() => setCopied(false), 1500);
    return () => clearTimeout(timer);
  }, [copied]);
  const copy = () => {
    void navigator.clipboard?.writeText(code).then(
      () => setCopied(true),
      () => {},
    );
  };
  const words = useContext(ChatLabelsContext);
  const openLine = partial ? code.lastIndexOf('\n') + 1 : 0;
  // While the block streams the button says so by its name and tooltip, not its text: a label that
  // changed length as the block closed would move the button under a reader's eyes.
  const partialLabel = partial && !copied ? words.copyPartial : undefined;
  return (
    <div className="sluice-code" data-partial={partial || undefined}>
      <div className="sluice-code-header">
        <span className="sluice-code-language">{language ?? 'text'}</span>
        <button type="button" className="sluice-copy" onClick={copy} aria-label={partialLabel} title={partialLabel}>
          {copied ? words.copied : words.copy}
        </button>
      </div>
      <pre>
        <code className={language === undefined ? undefined : `language-${language}`}>
          {children ??
            highlighted ??
            // While it streams, the finished lines and the line being written are two text nodes: an
            // update changes the short one, and the browser lays out again only that line.
            (partial ? [code.slice(0, openLine), code.slice(openLine)] : code)}
          {caret}
        </code>
      </pre>
    </div>
  );
}

/** The highlighted nodes for finished code, computed once per code and language. */
function useHighlight(
  highlight: CodeBlockProps['highlight'],
  code: string,
  language: string | undefined,
): ReactNode | undefined {
  const immediate = useMemo(() => highlight?.(code, language), [highlight, code, language]);
  const [resolved, setResolved] = useState<{ for: unknown; nodes: ReactNode }>();
  useEffect(() => {
    if (!(immediate instanceof Promise)) return;
    let current = true;
    immediate.then(
      (nodes) => current && setResolved({ for: immediate, nodes }),
      () => {},
    );
    return () => {
      current = false;
    };
  }, [immediate]);
  if (immediate instanceof Promise) return resolved?.for === immediate ? resolved.nodes : undefined;
  return immediate;
}
