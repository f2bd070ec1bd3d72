/** A code span: what is inside is said as it is written. */
const CODE_SPAN = /(`+)([^`]|[^`][\s\S]{0,2000}?[^`])\1(?!`)/g;

/**
 * Markdown's inline syntax taken out of one sentence, for a voice or a translator: emphasis,
 * code spans (their code kept as written), links (their text kept), images (their alt text
 * kept), footnote marks, tags and escapes. A marker left over from emphasis that spans two
 * sentences goes too.
 */
export function spokenText(markdown: string): string {
  let spoken = '';
  let end = 0;
  for (const code of markdown.matchAll(CODE_SPAN)) {
    spoken += withoutMarkup(markdown.slice(end, code.index)) + code[2]!.trim();
    end = code.index + code[0].length;
  }
  return (spoken + withoutMarkup(markdown.slice(end))).replace(/\s+/g, ' ').trim();
}

/** Spans are bounded so that a long run of unmatched markers costs linear time, not quadratic. */
function withoutMarkup(text: string): string {
  return (
    text
      .replace(/!\[([^[\]]{0,1000})\]\([^()]{0,2000}\)/g, '$1')
      .replace(/\[\^[^\]]{0,100}\]/g, '')
      .replace(/\[([^[\]]{1,1000})\]\([^()]{0,2000}\)/g, '$1')
      .replace(/\[([^[\]]{1,1000})\]\[[^\]]{0,100}\]/g, '$1')
      .replace(/<((?:https?|mailto):[^<>\s]{1,2000})>/g, '$1')
      .replace(/<\/?[A-Za-z][^<>]*>/g, ' ')
      // Paired markers first, then any stray one at a word's edge (bold across a sentence end).
      .replace(/(\*\*|__|~~)(?=\S)([\s\S]{0,1000}?\S)\1/g, '$2')
      .replace(/(^|[^\w*])([*_])(?=[^\s*_])([\s\S]{0,1000}?[^\s*_\\])\2(?!\w)/g, '$1$3')
      .replace(/(^|\s)(?:\*\*|__|~~|\*|_)(?=\S)/g, '$1')
      .replace(/(?<=\S)(?:\*\*|__|~~|\*|_)(?=\s|$|[.,;:!?)])/g, '')
      .replace(/\\([\\`*_{}[\]()#+\-.!|~>])/g, '$1')
  );
}
