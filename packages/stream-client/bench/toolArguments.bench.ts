/*
 * A tool call's arguments streamed in 4-character deltas, parsed as they come: PartialJsonParser
 * (each character read once) against partial-json, which parses the whole buffer again for every
 * delta (what re-parsing SDKs do), on the same text in one run. Each bench parses a whole
 * document; the per-delta cost is its time divided by its deltas (the summary prints both).
 */
import { parse as parsePartialJson } from 'partial-json';
import { bench, describe } from 'vitest';
import { MessagePartsBuilder } from '../src/stores/MessagePartsBuilder.js';
import { PartialJsonParser } from '../src/tools/PartialJsonParser.js';

/** Tool arguments of about `size` characters: a file to write, as agents send them. */
function argumentsOf(size: number): string {
  const lines: string[] = [];
  let length = 0;
  for (let index = 0; length < size - 80; index++) {
    const line = `export const value${index} = compute("item ${index}", { retries: ${index % 5} });\n`;
    lines.push(line);
    length += JSON.stringify(line).length;
  }
  return JSON.stringify({ path: 'src/generated.ts', overwrite: true, content: lines.join('') });
}

function deltas(text: string): string[] {
  const pieces: string[] = [];
  for (let start = 0; start < text.length; start += 4) pieces.push(text.slice(start, start + 4));
  return pieces;
}

const small = deltas(argumentsOf(1024));
const large = deltas(argumentsOf(50 * 1024));

function incremental(pieces: readonly string[]): void {
  const parser = new PartialJsonParser();
  for (const piece of pieces) parser.feed(piece);
  if (parser.end() === undefined) throw new Error(parser.error);
}

/** The value read after every delta, as a view that shows the arguments each frame would at most. */
function incrementalRead(pieces: readonly string[]): void {
  const parser = new PartialJsonParser();
  for (const piece of pieces) {
    parser.feed(piece);
    void parser.value;
  }
}

function reparsed(pieces: readonly string[]): void {
  let buffer = '';
  for (const piece of pieces) {
    buffer += piece;
    parsePartialJson(buffer);
  }
}

/** The whole path a reply's parts take: deltas into the parts builder, the parts read every 16 deltas (a frame). */
function throughParts(pieces: readonly string[]): void {
  let count = 0;
  const builder = new MessagePartsBuilder([], '', () => `p${count++}`);
  builder.add({ type: 'tool-call-start', id: 'call_1', name: 'write_file' });
  pieces.forEach((argumentsDelta, index) => {
    builder.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta });
    if (index % 16 === 15) void builder.parts;
  });
  builder.end();
}

const options = { time: 1500, warmupTime: 300 };

describe(`1 KB of arguments, ${small.length} deltas of 4 characters`, () => {
  bench('sluice PartialJsonParser', () => incremental(small), options);
  bench('sluice PartialJsonParser, value read after every delta', () => incrementalRead(small), options);
  bench('sluice MessagePartsBuilder, parts read every 16 deltas', () => throughParts(small), options);
  bench('partial-json, whole buffer parsed every delta', () => reparsed(small), options);
});

describe(`50 KB of arguments, ${large.length} deltas of 4 characters`, () => {
  bench('sluice PartialJsonParser', () => incremental(large), options);
  bench('sluice PartialJsonParser, value read after every delta', () => incrementalRead(large), options);
  bench('sluice MessagePartsBuilder, parts read every 16 deltas', () => throughParts(large), options);
  bench('partial-json, whole buffer parsed every delta', () => reparsed(large), { iterations: 3, time: 0 });
});
