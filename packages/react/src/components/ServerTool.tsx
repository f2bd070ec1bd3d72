'use client';
import { memo } from 'react';
import type { ServerToolPart } from '@sluice/stream-client';
import { withClassName } from './withClassName.js';

/** Props of {@link ServerTool}. */
export interface ServerToolProps {
  part: ServerToolPart;
  className?: string | undefined;
}

/**
 * A tool the provider ran itself (a web search, code execution...), folded to one line ("Searched
 * the web: tides in Brest"), with what it returned a click away.
 */
export const ServerTool = memo(function ServerTool({ part, className }: ServerToolProps) {
  return (
    <details className={withClassName('sluice-server-tool', className)} data-state={part.state}>
      <summary>
        {describe(part)}
        {part.state === 'running' ? '…' : null}
        {part.isError === true ? ' (failed)' : null}
      </summary>
      {part.output === undefined ? null : (
        <pre>
          <code>{pretty(part.output)}</code>
        </pre>
      )}
    </details>
  );
});

function describe(part: ServerToolPart): string {
  const query = (part.input as { query?: unknown } | null)?.query;
  const subject = typeof query === 'string' ? `: ${query}` : '';
  if (/web_search/.test(part.name)) return `Searched the web${subject}`;
  if (/web_fetch/.test(part.name)) return 'Read a web page';
  if (/code_(interpreter|execution)/.test(part.name)) return 'Ran code';
  if (/file_search/.test(part.name)) return `Searched files${subject}`;
  if (/image_generation/.test(part.name)) return 'Made an image';
  return part.server === undefined ? `Used ${part.name}` : `Used ${part.name} on ${part.server}`;
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return value.length > 4000 ? `${value.slice(0, 4000)}…` : value;
  try {
    const text = JSON.stringify(value, null, 2) ?? String(value);
    return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
  } catch {
    return String(value);
  }
}
