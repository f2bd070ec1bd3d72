/**
 * How far after an unclosed opener the streaming line may run before it is shown anyway: a stray
 * `$` (a price the rule below does not recognise) must not hide the rest of a long line.
 */
export const MATH_HOLD_LIMIT = 300;

/** Text after a `$` that reads as an amount, not a formula: a number and then a space ("$5 and"). */
const AMOUNT = /^\d[\d,.]*\s/;
const WHITESPACE = /\s/;
/** A line whose formula is a block of its own (`$$` or `\[` at its start): the block shows its source instead. */
const BLOCK_OPENER = /^ {0,3}(?:\$\$|\\\[)/;

/**
 * Where the streaming line's unclosed inline formula begins (`$x_1 +`, `\(a`), so that it waits for
 * its closing delimiter instead of flashing as text and emphasis; -1 when nothing is open. A `$` at
 * the very end waits one token, to see whether a formula or an amount follows it. Amounts
 * ("$5 and") are released as soon as the space after the number arrives, at the price of a formula
 * that starts with a number and a space ("$2 + 3$") showing as text until it closes.
 */
export function holdBackMath(line: string): number {
  if (BLOCK_OPENER.test(line)) return -1;
  let open = -1;
  let closer = '';
  let index = 0;
  while (index < line.length) {
    const character = line[index]!;
    if (character === '\\') {
      // A backslash at the very end may be the start of `\(` or `\[`: shown now, it would be taken
      // back by the next token, and the message lexed again from its start.
      if (open === -1 && index === line.length - 1) return index;
      const delimiter = line.slice(index, index + 2);
      if (open === -1 && (delimiter === '\\(' || delimiter === '\\[')) {
        open = index;
        closer = delimiter === '\\(' ? '\\)' : '\\]';
      } else if (open !== -1 && delimiter === closer) open = -1;
      // Anything else after a backslash is escaped (`\$` is a dollar), or TeX inside a formula.
      index += 2;
      continue;
    }
    if (character === '`' && open === -1) {
      // A code span's dollars are code; an open one ends the line as code too.
      const length = runLength(line, index, '`');
      const close = line.indexOf('`'.repeat(length), index + length);
      if (close === -1) return -1;
      index = close + length;
      continue;
    }
    if (character !== '$') {
      index++;
      continue;
    }
    const length = line[index + 1] === '$' ? 2 : 1;
    const after = line[index + length];
    if (open === -1) {
      if (after === undefined) return index;
      if (!WHITESPACE.test(after) && (length === 2 || !AMOUNT.test(line.slice(index + 1, index + 40)))) {
        open = index;
        closer = '$'.repeat(length);
      }
    } else if (closer === '$$' ? length === 2 : !WHITESPACE.test(line[index - 1]!) && !/\d/.test(after ?? '')) {
      open = -1;
    }
    index += length;
  }
  return open !== -1 && line.length - open <= MATH_HOLD_LIMIT ? open : -1;
}

function runLength(text: string, at: number, character: string): number {
  let end = at;
  while (text[end] === character) end++;
  return end - at;
}
