/*
 * Property tests: however the same bytes are split into chunks (down to single bytes inside
 * multi-byte characters, and CR LF pairs cut in two), the parser reports the same events; and
 * those events are what a plain, whole-text reading of the standard gives.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSSEParser } from './createSSEParser.js';
import type { ServerSentEvent } from './ServerSentEvent.js';

interface Reported {
  events: ServerSentEvent[];
  retries: number[];
  comments: string[];
  lastEventId: string;
}

function parseChunks(chunks: ReadonlyArray<string | Uint8Array>): Reported {
  const reported: Reported = { events: [], retries: [], comments: [], lastEventId: '' };
  const parser = createSSEParser({
    onEvent: (event) => reported.events.push(event),
    onRetry: (milliseconds) => reported.retries.push(milliseconds),
    onComment: (text) => reported.comments.push(text),
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  reported.lastEventId = parser.lastEventId;
  return reported;
}

/** The standard read as literally as possible, on the whole stream at once: slow, and obviously right. */
function referenceParse(bytes: Uint8Array): Reported {
  const reported: Reported = { events: [], retries: [], comments: [], lastEventId: '' };
  const lines = new TextDecoder().decode(bytes).split(/\r\n|\r|\n/);
  lines.pop(); // the text after the last line ending is not a line: the stream ended inside it
  let data = '';
  let type = '';
  let idBuffer = '';
  for (const line of lines) {
    if (line === '') {
      reported.lastEventId = idBuffer;
      if (data === '') {
        type = '';
        continue;
      }
      reported.events.push({ type: type || 'message', data: data.slice(0, -1), lastEventId: idBuffer });
      data = '';
      type = '';
      continue;
    }
    if (line.startsWith(':')) {
      reported.comments.push(line.slice(1).replace(/^ /, ''));
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (name === 'data') data += value + '\n';
    else if (name === 'event') type = value;
    else if (name === 'id' && !value.includes('\0')) idBuffer = value;
    else if (name === 'retry' && /^[0-9]+$/.test(value)) reported.retries.push(Number(value));
  }
  return reported;
}

const lineEnding = fc.constantFrom('\n', '\r\n', '\r');
const valueText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'b', ' ', ':', '0', '7', '€', '😀', '\ufeff', '\0', 'é'),
    fc.string({ minLength: 1, maxLength: 1 }),
  ),
  maxLength: 12,
});
// Now and then a line long enough that its slices are grouped when it arrives byte by byte.
const longDataLine = fc
  .string({ unit: fc.constantFrom('a', 'b', 'c', 'é', '😀'), minLength: 1100, maxLength: 1600 })
  .map((text) => 'data: ' + text);
const fieldName = fc.constantFrom('data', 'data', 'data', 'event', 'id', 'retry', 'Data', 'foo', 'dat', '');
const shortLine = fc.oneof(
  fc
    .tuple(fieldName, fc.constantFrom(':', ': ', ':  ', ''), valueText)
    .map(([name, colon, value]) => (colon === '' ? name : name + colon + value)),
  fc.tuple(fc.constantFrom('retry:', 'retry: '), fc.nat(99999)).map(([field, value]) => field + String(value)),
  valueText.map((text) => ':' + text),
  fc.constant(''),
  fc.constant(''),
);
const line = fc.oneof({ arbitrary: shortLine, weight: 40 }, { arbitrary: longDataLine, weight: 1 });
const stream = fc
  .tuple(fc.boolean(), fc.array(fc.tuple(line, lineEnding), { maxLength: 40 }), fc.boolean())
  .map(([bom, lines, invalidByte]) => {
    const text = (bom ? '\ufeff' : '') + lines.map(([content, ending]) => content + ending).join('');
    const encoded = new TextEncoder().encode(text);
    if (!invalidByte || encoded.length === 0) return encoded;
    // A byte that can never start UTF-8, somewhere in the middle, to exercise U+FFFD.
    const at = Math.floor(encoded.length / 2);
    return new Uint8Array([...encoded.subarray(0, at), 0xff, ...encoded.subarray(at)]);
  });

/** Splits `length` items at the given cut points, which are taken modulo the length and deduplicated. */
function cutPoints(length: number, cuts: number[]): number[] {
  const points = [...new Set(cuts.map((cut) => (length === 0 ? 0 : cut % (length + 1))))].toSorted((a, b) => a - b);
  return [0, ...points, length];
}

function splitBytes(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = cutPoints(bytes.length, cuts);
  return points.slice(1).map((end, index) => bytes.subarray(points[index], end));
}

function splitText(text: string, cuts: number[]): string[] {
  const points = cutPoints(text.length, cuts);
  return points.slice(1).map((end, index) => text.slice(points[index], end));
}

describe('chunking', () => {
  it('reports the same as a whole-text reading of the standard, however the bytes are split', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), (bytes, cuts) => {
        expect(parseChunks(splitBytes(bytes, cuts))).toEqual(referenceParse(bytes));
      }),
      { numRuns: 2000 },
    );
  });

  it('reports the same when fed one byte at a time', () => {
    fc.assert(
      fc.property(stream, (bytes) => {
        const single = Array.from(bytes, (_byte, index) => bytes.subarray(index, index + 1));
        expect(parseChunks(single)).toEqual(referenceParse(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it('reports the same for decoded text split anywhere, even between the halves of a surrogate pair', () => {
    fc.assert(
      fc.property(stream, fc.array(fc.nat(), { maxLength: 30 }), (bytes, cuts) => {
        const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
        expect(parseChunks(splitText(text, cuts))).toEqual(referenceParse(bytes));
      }),
      { numRuns: 1000 },
    );
  });
});
