import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PartialJsonParser } from './PartialJsonParser.js';

/** Feeds `text` in the pieces the cut points make, reading the value after each piece. */
function feedInPieces(text: string, cuts: number[]) {
  const parser = new PartialJsonParser();
  const values: unknown[] = [];
  let start = 0;
  for (const cut of [...cuts.filter((at) => at > 0 && at < text.length).toSorted((a, b) => a - b), text.length]) {
    parser.feed(text.slice(start, cut));
    values.push(parser.value);
    start = cut;
  }
  return { parser, values };
}

describe('PartialJsonParser', () => {
  it('shows each member as it streams in, and only whole keys and literals', () => {
    const parser = new PartialJsonParser();
    const seen: unknown[] = [];
    for (const piece of ['{"ci', 'ty": "Pa', 'ris", "days": [1', '2, tr', 'ue], "note": nu', 'll}']) {
      parser.feed(piece);
      seen.push(parser.value);
    }
    expect(seen).toEqual([
      {},
      { city: 'Pa' },
      { city: 'Paris', days: [1] },
      { city: 'Paris', days: [12] },
      { city: 'Paris', days: [12, true] },
      { city: 'Paris', days: [12, true], note: null },
    ]);
    expect(parser.complete).toBe(true);
    expect(parser.end()).toEqual({ city: 'Paris', days: [12, true], note: null });
  });

  it('reads escapes split anywhere, \\u escapes included', () => {
    const text = JSON.stringify({ code: 'line "one"\n\ttab \\ back \u00e9 \ud83d\ude00 /' });
    for (let cut = 1; cut < text.length; cut++) {
      const { parser } = feedInPieces(text, [cut, cut + 1, cut + 3]);
      expect(parser.end()).toEqual(JSON.parse(text));
    }
  });

  it('keeps the value’s identity until more of it arrives, and shares whole members', () => {
    const parser = new PartialJsonParser();
    parser.feed('{"done": {"a": [1, 2]}, "open": "x');
    const first = parser.value as { done: unknown; open: string };
    expect(parser.value).toBe(first);
    parser.feed('yz');
    const second = parser.value as { done: unknown; open: string };
    expect(second).not.toBe(first);
    expect(second.open).toBe('xyz');
    expect(second.done).toBe(first.done);
    // Whitespace and an unfinished key change nothing the reader sees.
    parser.feed('", "ne');
    const third = parser.value;
    parser.feed('xt');
    expect(parser.value).toBe(third);
  });

  it('treats "__proto__" as a key, as JSON.parse does, never as the prototype', () => {
    const text = '{"__proto__": {"polluted": true}, "a": {"__proto__": 1}}';
    const { parser } = feedInPieces(text, [14, 20]);
    const value = parser.end() as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__', 'a']);
    expect(value).toEqual(JSON.parse(text));
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it.each([
    ['{"a": 1,}', 'where a key was expected'],
    ['[1, 2,]', 'where a value was expected'],
    ['{"a" 1}', 'where ":" was expected'],
    ['{"a": tru }', '"tru" is not a value'],
    ['{"a": 01}', '"01" is not a number'],
    ['{"a": "\\x"}', '"\\x" is not an escape'],
    ['{} {}', 'after the whole value'],
    ['{"a": [1, 2', 'unfinished'],
  ])('says why %j is not JSON, and stops there', (text, why) => {
    const parser = new PartialJsonParser();
    parser.feed(text);
    expect(parser.end()).toBeUndefined();
    expect(parser.error).toContain(why);
  });

  it('ends a number at the end of the text', () => {
    const parser = new PartialJsonParser();
    parser.feed('-12.5e3');
    expect(parser.value).toBe(-12.5e3);
    expect(parser.complete).toBe(false);
    expect(parser.end()).toBe(-12500);
  });

  it('reads any JSON value as JSON.parse does, however it is split, never showing a key early', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.array(fc.nat({ max: 400 }), { maxLength: 12 }),
        fc.boolean(),
        (value, cuts, pretty) => {
          const text = JSON.stringify(value, null, pretty ? 2 : undefined);
          const { parser, values } = feedInPieces(text, cuts);
          expect(parser.end()).toEqual(JSON.parse(text));
          expect(parser.error).toBeUndefined();
          // Every snapshot is itself JSON, with keys only from the value.
          for (const snapshot of values) {
            if (snapshot === undefined) continue;
            expect(() => JSON.stringify(snapshot)).not.toThrow();
          }
        },
      ),
      { numRuns: 400 },
    );
  });
});
