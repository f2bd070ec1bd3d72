'use client';
import { useContext } from 'react';
import type { ChatMessage } from '@sluice/stream-client';
import { ChatLabelsContext } from './ChatLabels.js';
import { sourcePrefix } from './MessageFooter.js';

/** Props of {@link CitationMarkers}. */
export interface CitationMarkersProps {
  /** The text part the markers follow. */
  textPartId: string;
  /** The message, whose sources are numbered as `Sources` numbers them under it. */
  message: ChatMessage;
}

/** The numbers of the sources that cite a text part, each linking to its entry under the answer; nothing when none does. */
export function CitationMarkers({ textPartId, message }: CitationMarkersProps) {
  const words = useContext(ChatLabelsContext);
  const idPrefix = sourcePrefix(message);
  const numbers: number[] = [];
  let sourceNumber = 0;
  for (const part of message.parts) {
    if (part.type !== 'source') continue;
    sourceNumber++;
    if (part.textPartId === textPartId) numbers.push(sourceNumber);
  }
  if (numbers.length === 0) return null;
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
