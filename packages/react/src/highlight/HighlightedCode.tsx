'use client';
import { memo, useEffect, useReducer, useState, useSyncExternalStore } from 'react';
import type { CSSProperties, ReactElement } from 'react';
import { CodeBlock } from '../components/CodeBlock.js';
import type { CodeBlockProps } from '../components/CodeBlock.js';
import type { CodeHighlighter } from './CodeHighlighter.js';
import { LINES_PER_GROUP } from './HighlightedLines.js';

/** Props of {@link HighlightedCode}: a code block's, with the plugin's highlighter. */
export interface HighlightedCodeProps extends CodeBlockProps {
  language: string;
  highlighter: CodeHighlighter;
}

/**
 * A code block highlighted line by line as it streams: the complete lines highlighted (each
 * tokenized once, off the main thread where there are workers), the line being written plain until
 * it ends, and a line sent to be tokenized plain until it comes back. It shows as `CodeBlock`
 * shows it until shiki and the language have loaded, and stays so if they cannot be.
 */
export function HighlightedCode({ highlighter, ...props }: HighlightedCodeProps) {
  const { code, language, partial = false } = props;
  const [kept, setLines] = useState(() => highlighter.linesFor(code, language));
  const [, rerender] = useReducer((count: number) => count + 1, 0);
  let lines = kept;
  if (lines.language !== language || !lines.isContinuedBy(code)) {
    // The block's text changed under it (not just grew): new lines, the old ones left as they were.
    lines = highlighter.linesFor(code, language);
    setLines(lines);
  }
  // Lines come back highlighted after the render that sent them: this renders again when they do.
  useSyncExternalStore(lines.subscribe, lines.snapshot, lines.snapshot);
  const loaded = highlighter.highlight(lines, code, !partial);

  useEffect(() => {
    if (loaded) return;
    let current = true;
    void highlighter.load(language).then((ready) => {
      if (current && ready) rerender();
    });
    return () => {
      current = false;
    };
  }, [highlighter, language, loaded]);

  const count = lines.elements.length;

  if (count === 0) return <CodeBlock {...props} />;
  return (
    <CodeBlock {...props}>
      <span className="sluice-highlighted" style={bothSchemes}>
        <LineGroups lines={lines.elements} count={count} />
      </span>
      {/* After the blocks of lines, a new line begins without the newline before it. */}
      {code.slice(lines.end + 1)}
    </CodeBlock>
  );
}

/**
 * Colours are `light-dark()` pairs: this picks the one of the reader's colour scheme, as Sluice's
 * styles do; a `.sluice-theme-dark` or `-light` ancestor overrides it (styles.css).
 */
const bothSchemes: CSSProperties = { colorScheme: 'light dark', display: 'block' };

/**
 * The highlighted lines, memoised on their count: a token that completes no line renders none of
 * them. Groups are blocks, so that the browser lays out only the last again; a full group renders once.
 */
const LineGroups = memo(function LineGroups({ lines, count }: { lines: readonly ReactElement[]; count: number }) {
  const groups: ReactElement[] = [];
  for (let start = 0; start < count; start += LINES_PER_GROUP) {
    groups.push(<LineGroup key={start} lines={lines} start={start} end={Math.min(count, start + LINES_PER_GROUP)} />);
  }
  return groups;
});

/** Lines `start` to `end`; `lines` only grows, so a full group's props never change and it renders once. */
const LineGroup = memo(function LineGroup({
  lines,
  start,
  end,
}: {
  lines: readonly ReactElement[];
  start: number;
  end: number;
}) {
  return <span style={groupStyle}>{lines.slice(start, end)}</span>;
});

const groupStyle: CSSProperties = { display: 'block' };
