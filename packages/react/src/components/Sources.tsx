'use client';
import { memo, useContext } from 'react';
import type { SourcePart } from '@sluice/stream-client';
import { safeUrl } from '../markdown/safeUrl.js';
import { ChatLabelsContext } from './ChatLabels.js';
import type { ChatLabels } from './ChatLabels.js';
import { withClassName } from './withClassName.js';

/** Props of {@link Sources}. */
export interface SourcesProps {
  /** The sources in the order they were cited; each page once. */
  sources: readonly SourcePart[];
  /** Prefixes each entry's element id, so citation markers can link to it. */
  idPrefix?: string | undefined;
  className?: string | undefined;
  labels?: Partial<ChatLabels> | undefined;
}

/**
 * The pages and files an answer cites, numbered as its citation markers are: each a link (http
 * and https only) with its title, or the file's name, and the passage cited when the provider
 * quoted it.
 */
export const Sources = memo(function Sources({ sources, idPrefix, className, labels }: SourcesProps) {
  const words = { ...useContext(ChatLabelsContext), ...labels };
  if (sources.length === 0) return null;
  return (
    <nav className={withClassName('sluice-sources', className)} aria-label={words.sources ?? 'Sources'}>
      <ol>
        {sources.map(({ id, source }, index) => {
          const href = source.url === undefined ? undefined : safeUrl(source.url);
          const name =
            source.title ??
            source.filename ??
            (href === undefined ? undefined : hostname(href)) ??
            words.source?.(index + 1) ??
            `Source ${index + 1}`;
          return (
            <li key={id} id={idPrefix === undefined ? undefined : `${idPrefix}${index + 1}`}>
              {href === undefined || !/^https?:/i.test(href) ? (
                <span className="sluice-source-name">{name}</span>
              ) : (
                <a href={href} target="_blank" rel="noopener noreferrer nofollow">
                  {name}
                </a>
              )}
              {source.citedText === undefined ? null : <q className="sluice-source-quote">{source.citedText}</q>}
            </li>
          );
        })}
      </ol>
    </nav>
  );
});

function hostname(url: string): string | undefined {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return undefined;
  }
}
