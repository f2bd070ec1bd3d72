/*
 * parseSSE against what most libraries use: eventsource-parser's TextDecoderStream +
 * EventSourceParserStream pipeline, side by side on the same bytes in one run.
 */
import { createParser } from 'eventsource-parser';
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { bench, describe } from 'vitest';
import { createSSEParser, parseSSE } from '../src/index.js';
import { anthropicStream, fixedChunks, openAIStream, randomChunks, streamOf } from './fixtures.js';

const TOKENS = 20_000;
const openAIChunks = fixedChunks(openAIStream(TOKENS), 16 * 1024);
const anthropicChunks = randomChunks(anthropicStream(TOKENS), 64, 7);
const openAIEvents = TOKENS + 4;
const anthropicEvents = TOKENS + 5 + Math.ceil(TOKENS / 50);

async function sluice(chunks: readonly Uint8Array[], expected: number): Promise<void> {
  let count = 0;
  for await (const event of parseSSE(streamOf(chunks))) count += event.data.length > 0 ? 1 : 0;
  if (count !== expected) throw new Error(`sluice read ${count} events, expected ${expected}`);
}

async function eventsourceParser(chunks: readonly Uint8Array[], expected: number): Promise<void> {
  let count = 0;
  const events = streamOf(chunks)
    .pipeThrough(new TextDecoderStream() as TransformStream<Uint8Array, string>)
    .pipeThrough(new EventSourceParserStream());
  const reader = events.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    count += value.data.length > 0 ? 1 : 0;
  }
  if (count !== expected) throw new Error(`eventsource-parser read ${count} events, expected ${expected}`);
}

function sluiceSynchronous(chunks: readonly Uint8Array[], expected: number): void {
  let count = 0;
  const parser = createSSEParser({ onEvent: () => count++ });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  if (count !== expected) throw new Error(`createSSEParser read ${count} events, expected ${expected}`);
}

const options = { time: 2000, warmupTime: 500 };

describe(`OpenAI-shaped stream, ${TOKENS} tokens, 16 KiB chunks`, () => {
  bench('sluice parseSSE', () => sluice(openAIChunks, openAIEvents), options);
  bench(
    'eventsource-parser TextDecoderStream + EventSourceParserStream',
    () => eventsourceParser(openAIChunks, openAIEvents),
    options,
  );
});

describe(`Anthropic-shaped CRLF stream, ${TOKENS} tokens, random 1-64 byte chunks`, () => {
  bench('sluice parseSSE', () => sluice(anthropicChunks, anthropicEvents), options);
  bench(
    'eventsource-parser TextDecoderStream + EventSourceParserStream',
    () => eventsourceParser(anthropicChunks, anthropicEvents),
    options,
  );
});

// The synchronous core on its own, to show what the async-iterable layer and decoding cost.
describe('sluice createSSEParser fed the same chunks synchronously', () => {
  bench('OpenAI-shaped, 16 KiB chunks', () => sluiceSynchronous(openAIChunks, openAIEvents), options);
  bench(
    'Anthropic-shaped CRLF, random 1-64 byte chunks',
    () => sluiceSynchronous(anthropicChunks, anthropicEvents),
    options,
  );
});

/*
 * Linear cost: the same 10 MiB of input as one event fed a byte at a time, and as ten 1 MiB events
 * fed a byte at a time. Quadratic buffering would make the first many times slower than the second;
 * linear parsing keeps them within noise of each other.
 */
const MEBIBYTE = 1024 * 1024;
const oneLargeEvent = new TextEncoder().encode('data: ' + 'x'.repeat(10 * MEBIBYTE) + '\n\n');
const oneMediumEvent = new TextEncoder().encode('data: ' + 'x'.repeat(MEBIBYTE) + '\n\n');

function feedBytewise(bytes: Uint8Array, repeat: number): void {
  let count = 0;
  const parser = createSSEParser({ onEvent: () => count++ });
  for (let round = 0; round < repeat; round++) {
    for (let index = 0; index < bytes.length; index++) parser.feed(bytes.subarray(index, index + 1));
  }
  if (count !== repeat) throw new Error(`read ${count} events, expected ${repeat}`);
}

function feedBytewiseEventsourceParser(bytes: Uint8Array, repeat: number): void {
  let count = 0;
  const decoder = new TextDecoder();
  const parser = createParser({ onEvent: () => count++ });
  for (let round = 0; round < repeat; round++) {
    for (let index = 0; index < bytes.length; index++)
      parser.feed(decoder.decode(bytes.subarray(index, index + 1), { stream: true }));
  }
  if (count !== repeat) throw new Error(`read ${count} events, expected ${repeat}`);
}

const scaling = { iterations: 3, time: 0, warmupIterations: 1, warmupTime: 0 };

describe('10 MiB fed one byte at a time: one 10 MiB event against ten 1 MiB events', () => {
  bench('sluice, ten 1 MiB events', () => feedBytewise(oneMediumEvent, 10), scaling);
  bench('sluice, one 10 MiB event', () => feedBytewise(oneLargeEvent, 1), scaling);
  bench(
    'eventsource-parser createParser, one 10 MiB event',
    () => feedBytewiseEventsourceParser(oneLargeEvent, 1),
    scaling,
  );
});

const millionEvents = new TextEncoder().encode('data: x\n\n'.repeat(1_000_000));
const millionEventChunks = fixedChunks(millionEvents, 64 * 1024);

describe('a million tiny events in 64 KiB chunks', () => {
  bench('sluice parseSSE', () => sluice(millionEventChunks, 1_000_000), { iterations: 5, time: 0 });
  bench(
    'eventsource-parser TextDecoderStream + EventSourceParserStream',
    () => eventsourceParser(millionEventChunks, 1_000_000),
    { iterations: 5, time: 0 },
  );
});
