'use client';
import { useContext } from 'react';
import type { SourcePart } from '@sluice/stream-client';
import { ChatLabelsContext } from './ChatLabels.js';

/** Props of {@link CitationMarkers}. */
export interface CitationMarkersProps {
  /** The text part the markers follow. */
  textPartId: string;
  /** Every source of the message, numbered as `Sources` numbers them. */
  sources: readonly SourcePart[];
  /** The prefix of the sources' element ids, as given to `Sources`. */
  idPrefix: string;
}

/** The numbers of the sources that cite a text part, each linking to its entry under the answer. */
export function CitationMarkers({ textPartId, sources, idPrefix }: CitationMarkersProps) {
  const words = useContext(ChatLabelsContext);
  const numbers: number[] = [];
  sources.forEach((source, index) => {
    if (source.textPartId === textPartId) numbers.push(index + 1);
  });
  return (
    <p className="sluice-citations">
      {numbers.map((number) => (
        <sup key={number}>
          <a href={`#${idPrefix}${number}`} aria-label={words.source?.(number) ?? `Source ${number}`}>
            [{number}]
          </a>
        </sup>
      ))}
    </p>
  );
}
