import type { StreamPart } from '../providers/StreamPart.js';
import { textDeltas } from './textDeltas.js';

/** Characters after which a sentence may have ended; text without one cannot complete a sentence. */
const MAY_END = /[.!?…。！？\n]/;
/** Abbreviations after which a segmenter wrongly ends a sentence. */
const ABBREVIATION = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|vs|e\.g|i\.e|cf|No|Fig|[A-Z])\.\s*$/;
const FALLBACK_END = /[^.!?…。！？\n]*(?:[.!?…。！？]+["'”’)\]]*\s+|\n\s*)/y;

/**
 * Whole sentences of the answer as they complete, each trimmed: for speaking an answer aloud or
 * translating it while it streams. The text after the last sentence end comes out at the end.
 *
 * A sentence counts as complete once the text after it has begun, so "3." followed by "14" does
 * not split; the runtime's sentence segmenter finds the ends, and titles and initials such as
 * "Dr." and "J." do not end one.
 */
export async function* sentences(parts: AsyncIterable<StreamPart>): AsyncGenerator<string, void, undefined> {
  const segmenter =
    typeof Intl.Segmenter === 'function' ? new Intl.Segmenter(undefined, { granularity: 'sentence' }) : undefined;
  let buffer = '';
  for await (const text of textDeltas(parts)) {
    buffer += text;
    // Segmenting costs the length of the unfinished sentence, so only do it when one may have ended.
    if (!MAY_END.test(text)) continue;
    const [complete, rest] = splitComplete(buffer, segmenter);
    buffer = rest;
    for (const sentence of complete) yield sentence;
  }
  const last = buffer.trim();
  if (last !== '') yield last;
}

/** The complete sentences at the start of `text`, and what remains after them. */
function splitComplete(text: string, segmenter: Intl.Segmenter | undefined): [string[], string] {
  const complete: string[] = [];
  let consumed = 0;
  if (segmenter !== undefined) {
    let previous: { segment: string; index: number } | undefined;
    for (const segment of segmenter.segment(text)) {
      // A segment is known to be whole only when another one follows it; one that ends in a
      // title or an initial ("Dr.", "J.") runs on into the next.
      if (previous !== undefined && !ABBREVIATION.test(previous.segment)) {
        const sentence = text.slice(consumed, segment.index).trim();
        if (sentence !== '') complete.push(sentence);
        consumed = segment.index;
      }
      previous = segment;
    }
  } else {
    FALLBACK_END.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = FALLBACK_END.exec(text)) !== null && match[0] !== '') {
      const sentence = match[0].trim();
      if (sentence !== '') complete.push(sentence);
      consumed = FALLBACK_END.lastIndex;
    }
  }
  return [complete, text.slice(consumed)];
}
