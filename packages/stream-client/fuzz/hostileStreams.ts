/*
 * Generators of hostile and broken streams, and what must hold for every one of them: the
 * properties of the fuzz suite. A scenario is a provider's well-formed stream (from the testing
 * kit, with the shapes real traffic adds: citations, server tools and their results, requests to
 * the client, thinking and what continues a turn) bent in the ways a buggy proxy, a compromised
 * relay or a provider incident bends it: JSON fields of the wrong type, prototype keys, huge and
 * negative numbers and indices, deep nesting, events dropped, repeated or taken from another
 * format, event ids of any Unicode, framing of every kind, truncation at any byte, and network
 * faults (drops, stalls, error statuses with any body).
 */
import * as fc from 'fast-check';
import type { Decoder, ProviderFormat } from '../src/providers/Decoder.js';
import { sluiceEvent } from '../src/providers/sluiceEvent.js';
import type { StreamPart } from '../src/providers/StreamPart.js';
import { formatServerSentEvent } from '../src/sse/formatServerSentEvent.js';
import { SSEParseError } from '../src/sse/SSEParseError.js';
import { decodeEvents } from '../src/testing/decodeEvents.js';
import { providerEvents } from '../src/testing/providerEvents.js';
import { streamText } from '../src/transport/streamText.js';
import { StreamError } from '../src/transport/StreamError.js';
import type { ResolvedStreamLimits } from '../src/transport/StreamLimits.js';
import type { StreamResult } from '../src/transport/StreamResult.js';
import { realTrafficEvents, realTrafficShape } from './realTrafficEvents.js';
import type { RealTrafficShape } from './realTrafficEvents.js';

const formats: ProviderFormat[] = ['openai', 'anthropic', 'openai-responses', 'sluice'];

/** The limits every scenario runs under: small, so that passing them is common. */
export const fuzzLimits: ResolvedStreamLimits = { maxChoices: 8, maxToolCalls: 16, maxParts: 3000 };
/** The most one event may buffer in a scenario. */
export const fuzzMaxEventBytes = 64 * 1024;
/** How long a silent stream may stay silent in a scenario, so stalls end. */
const idleTimeoutMs = 15;
/** The bound within which every reader of a scenario must have settled. */
const settleWithinMs = 5000;

/** Values that have broken decoders elsewhere: wrong types, prototype names, numbers out of range, cycles of nesting. */
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty', 'prototype'),
  fc.constantFrom('', '\u0000', '\uFFFD', 'é日本\u{1F600}', '[DONE]', 'data: x\n\n'),
  fc.constantFrom(0, -1, 1.5, 1e8, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2),
  fc.constantFrom(null, true, false),
  fc.constantFrom<unknown>({ toString: 1 }, { valueOf: {} }, [], [1, 'a', null], {}, { message: { toString: 1 } }),
  fc.string({ unit: 'grapheme', maxLength: 24 }),
  fc.jsonValue({ maxDepth: 3 }),
  fc.nat({ max: 60 }).map((depth) => {
    let value: unknown = 'deep';
    for (let level = 0; level < depth; level++) value = level % 2 === 0 ? [value] : { nested: value };
    return value;
  }),
);

/** A change to one event of a well-formed stream. */
type Mutation =
  | { kind: 'set'; event: number; path: number; value: unknown }
  | { kind: 'delete'; event: number; path: number }
  | { kind: 'proto'; event: number; path: number; value: unknown }
  | { kind: 'drop'; event: number }
  | { kind: 'repeat'; event: number }
  | { kind: 'foreign'; event: number; format: ProviderFormat; from: number }
  | { kind: 'raw'; event: number; text: string }
  | { kind: 'id'; event: number; id: string };

/** One character of an event id: any code point but a line break, and the ones that broke clients. */
const idCharacter = fc.oneof(
  fc.constantFrom('日', '\uFFFD', '\u0000', ':', ' ', '\u{1F600}', 'é'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((text) => text !== '\r' && text !== '\n'),
);

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), event: fc.nat(), path: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('delete' as const), event: fc.nat(), path: fc.nat() }),
  fc.record({ kind: fc.constant('proto' as const), event: fc.nat(), path: fc.nat(), value: hostileValue }),
  fc.record({ kind: fc.constant('drop' as const), event: fc.nat() }),
  fc.record({ kind: fc.constant('repeat' as const), event: fc.nat() }),
  fc.record({
    kind: fc.constant('foreign' as const),
    event: fc.nat(),
    format: fc.constantFrom(...formats),
    from: fc.nat(),
  }),
  // Any Unicode is legal in an event id, and resuming sends it back in a header.
  fc.record({ kind: fc.constant('id' as const), event: fc.nat(), id: fc.string({ unit: idCharacter, maxLength: 12 }) }),
  fc.record({
    kind: fc.constant('raw' as const),
    event: fc.nat(),
    text: fc.oneof(
      fc.string({ unit: 'binary', maxLength: 200 }),
      fc.constantFrom(
        'id: 日本\n',
        'id: \uFFFD\n',
        'id: a\u0000b\n',
        'retry: 2147483647\n',
        'retry: -1\n',
        ': keep-alive\n\n',
        'event: error\ndata: {"error":{"message":{"toString":1}}}\n\n',
        'data: {"choices":[{"index":100000000,"delta":{"content":"x"}}]}\n\n',
        'event: finish\ndata: {"finishReason":"constructor","choice":99999999}\n\n',
        'event: sluice\ndata: {"version":1,"streamId":"日本"}\n\n',
        'event: tool-call\ndata: {"toolCall":{"id":1,"name":[],"argumentsText":{},"choice":-1}}\n\n',
        `data: ${'x'.repeat(70 * 1024)}\n\n`,
      ),
    ),
  }),
);

/** How the network delivers the response. */
type Delivery =
  | { kind: 'whole' }
  | { kind: 'drop' | 'stall'; afterBytes: number }
  | { kind: 'status'; status: number; body: string; contentType: string };

const delivery: fc.Arbitrary<Delivery> = fc.oneof(
  { weight: 6, arbitrary: fc.constant({ kind: 'whole' as const }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('drop' as const), afterBytes: fc.nat({ max: 4000 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stall' as const), afterBytes: fc.nat({ max: 4000 }) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('status' as const),
      status: fc.constantFrom(200, 400, 401, 404, 408, 413, 429, 500, 502, 503, 529),
      body: fc.oneof(
        fc.string({ maxLength: 300 }),
        hostileValue.map((value) => JSON.stringify({ error: value }) ?? ''),
        hostileValue.map(
          (value) => JSON.stringify({ error: { message: value, type: value, code: value, retryable: value } }) ?? '',
        ),
        fc.constant('<!doctype html><title>Gateway</title><pre>at /srv/app/index.js</pre>'),
      ),
      contentType: fc.constantFrom('application/json', 'text/html', 'text/plain', 'text/event-stream'),
    }),
  },
);

/** One hostile stream, and how a client reads it. */
export interface Scenario {
  format: ProviderFormat;
  /** The decoder the client asks for: the stream's own format, `auto`, or another one. */
  asked: ProviderFormat | 'auto';
  script: {
    tokens: string[];
    reasoning: string | undefined;
    toolCalls: Array<{ id: string; name: string; arguments: unknown }>;
    finishReason: 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'other';
    ids: boolean;
  };
  /** Shapes of real traffic added after the stream's first event, before it is bent. */
  extras: RealTrafficShape[];
  /**
   * The final event without the output it repeats (a Responses `response.completed` with an empty
   * `output`), as some gateways and resumed streams send it: the decoder rebuilds it from the items.
   */
  bare: boolean;
  mutations: Mutation[];
  lineEnding: '\n' | '\r' | '\r\n';
  bom: boolean;
  truncateAt: number | undefined;
  /** Chunk sizes, repeated over the stream. */
  chunks: number[];
  delivery: Delivery;
}

export const scenario: fc.Arbitrary<Scenario> = fc.record({
  format: fc.constantFrom(...formats),
  asked: fc.constantFrom<ProviderFormat | 'auto'>('auto', 'openai', 'anthropic', 'openai-responses', 'sluice'),
  script: fc.record({
    tokens: fc.array(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 }), { maxLength: 20 }),
    reasoning: fc.option(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }), { nil: undefined }),
    toolCalls: fc.array(
      fc.record({
        id: fc.string({ minLength: 1, maxLength: 6 }),
        name: fc.string({ maxLength: 6 }),
        arguments: fc.jsonValue({ maxDepth: 2 }),
      }),
      { maxLength: 2 },
    ),
    finishReason: fc.constantFrom('stop', 'length', 'tool-calls', 'content-filter', 'other'),
    ids: fc.boolean(),
  }),
  extras: fc.array(realTrafficShape, { maxLength: 3 }),
  bare: fc.boolean(),
  mutations: fc.array(mutation, { maxLength: 4 }),
  lineEnding: fc.constantFrom('\n', '\r', '\r\n'),
  bom: fc.boolean(),
  truncateAt: fc.option(fc.nat({ max: 6000 }), { nil: undefined, freq: 4 }),
  chunks: fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 6 }),
  delivery,
});

/** The JSON values of an object, depth first, each with a setter: the places a mutation can strike. */
function places(root: unknown): Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> {
  const found: Array<{ parent: Record<string, unknown> | unknown[]; key: string | number }> = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        found.push({ parent: value, key: index });
        visit(item);
      });
    } else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) {
        found.push({ parent: value as Record<string, unknown>, key });
        visit((value as Record<string, unknown>)[key]);
      }
    }
  };
  visit(root);
  return found;
}

/** Applies a mutation to the data of an event block (`event:`/`id:`/`data:` lines and a blank line). */
function mutateBlock(block: string, change: Extract<Mutation, { kind: 'set' | 'delete' | 'proto' }>): string {
  // Lines split on \n alone: the blocks are written so, and a regular expression's `.` and `$`
  // would stop at a U+2028 that JSON leaves unescaped in a string.
  const lines = block.split('\n');
  const at = lines.findIndex((line) => line.startsWith('data: '));
  if (at === -1) return block;
  let data: unknown;
  try {
    data = JSON.parse(lines[at]!.slice('data: '.length));
  } catch {
    return block;
  }
  const targets = places(data);
  if (targets.length === 0) return block;
  const { parent, key } = targets[change.path % targets.length]!;
  if (change.kind === 'set') (parent as Record<string | number, unknown>)[key] = change.value;
  else if (change.kind === 'delete' && !Array.isArray(parent)) delete parent[key as string];
  else if (change.kind === 'proto' && !Array.isArray(parent)) {
    // An own "__proto__" key, as JSON.parse makes one: it must never reach a prototype.
    Object.defineProperty(parent, '__proto__', {
      value: change.value,
      enumerable: true,
      configurable: true,
      writable: true,
    });
  }
  lines[at] = `data: ${JSON.stringify(data) ?? 'null'}`;
  return lines.join('\n');
}

/** The bytes of a scenario, as the network would deliver them, in chunks. */
export function bytesOf(s: Scenario): Uint8Array[] {
  let blocks = providerEvents(s.format, {
    text: s.script.tokens,
    ...(s.script.reasoning === undefined ? {} : { reasoning: s.script.reasoning }),
    toolCalls: s.script.toolCalls,
    finishReason: s.script.finishReason,
  });
  if (s.bare) blocks = blocks.map((block) => block.replace(/"output":\[.*?\](?=,"usage")/, '"output":[]'));
  // After the header event (message_start, response.created, the role chunk, the sluice header).
  blocks.splice(1, 0, ...s.extras.flatMap((extra) => realTrafficEvents(s.format, extra)));
  // Numbered as the testing kit numbers them, extras included, so none reads as a replay.
  if (s.script.ids)
    blocks = blocks.map((block, index) => `id: ${s.format === 'sluice' ? `mock-stream:${index}` : index}\n${block}`);
  for (const change of s.mutations) {
    if (blocks.length === 0) break;
    const at = change.event % blocks.length;
    switch (change.kind) {
      case 'drop':
        blocks = blocks.filter((_, index) => index !== at);
        break;
      case 'repeat':
        blocks = [...blocks.slice(0, at + 1), blocks[at]!, ...blocks.slice(at + 1)];
        break;
      case 'foreign': {
        const foreign = providerEvents(change.format, { text: ['x'] });
        blocks = [...blocks.slice(0, at), foreign[change.from % foreign.length]!, ...blocks.slice(at)];
        break;
      }
      case 'raw':
        blocks = [...blocks.slice(0, at), change.text, ...blocks.slice(at)];
        break;
      case 'id':
        blocks[at] = `id: ${change.id}\n${blocks[at]!.replace(/^id: .*\n/, '')}`;
        break;
      default:
        blocks[at] = mutateBlock(blocks[at]!, change);
    }
  }
  const text = (s.bom ? '\uFEFF' : '') + blocks.join('').replace(/\r\n|\r|\n/g, s.lineEnding);
  let bytes = new TextEncoder().encode(text);
  if (s.truncateAt !== undefined) bytes = bytes.slice(0, s.truncateAt);
  const chunks: Uint8Array[] = [];
  for (let offset = 0, index = 0; offset < bytes.length; index++) {
    const size = s.chunks[index % s.chunks.length]!;
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** A fetch that answers every request (first try, retry or resumption) as the scenario's network does. */
function fetchOf(s: Scenario): typeof fetch {
  return async (_input, init) => {
    const delivered = s.delivery;
    if (delivered.kind === 'status') {
      return new Response(delivered.body, {
        status: delivered.status,
        headers: { 'content-type': delivered.contentType },
      });
    }
    const chunks = bytesOf(s);
    let index = 0;
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (init?.signal?.aborted) {
          controller.error(init.signal.reason);
          return;
        }
        if (index >= chunks.length) {
          if (delivered.kind === 'drop') controller.error(new TypeError('The connection was reset (fuzz).'));
          else if (delivered.kind === 'stall') return new Promise<void>(() => {});
          else controller.close();
          return;
        }
        const chunk = chunks[index++]!;
        if (delivered.kind !== 'whole' && sent >= delivered.afterBytes) {
          if (delivered.kind === 'drop') controller.error(new TypeError('The connection was reset (fuzz).'));
          // A stall: this pull never settles, so the stream stays open and silent.
          else return new Promise<void>(() => {});
          return;
        }
        sent += chunk.byteLength;
        controller.enqueue(chunk);
        return undefined;
      },
    });
    init?.signal?.addEventListener('abort', () => void body.cancel().catch(() => {}), { once: true });
    return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } });
  };
}

/** Everything a scenario's readers saw, and every way the library broke its promises. */
export interface Observation {
  violations: string[];
  outcome: 'finished' | 'failed';
  kind?: string;
  bytes: number;
}

/** Whether a part is exactly what its documented shape allows: the sluice protocol reads it back unchanged. */
function conforms(part: StreamPart): string | undefined {
  if (part.type === 'error' || part.type === 'sluice') return undefined;
  let read: StreamPart[];
  try {
    read = decodeEvents('sluice' as ProviderFormat | Decoder, formatServerSentEvent(sluiceEvent(part)));
  } catch (error) {
    return `${part.type} part does not conform: ${String(error)}`;
  }
  // Compared as JSON, key order aside: -0 and 0, or an undefined field and none, are the same on the wire.
  return canonical(read) === canonical([part])
    ? undefined
    : `${part.type} part does not conform: ${JSON.stringify(part).slice(0, 200)} read back as ${JSON.stringify(read).slice(0, 200)}`;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item).toSorted(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

function withinLimits(result: StreamResult): string | undefined {
  if (result.choices.length > fuzzLimits.maxChoices) return `${result.choices.length} choices held`;
  const calls = result.toolCalls.length + result.serverToolCalls.length + result.toolRequests.length;
  if (calls > fuzzLimits.maxToolCalls) return `${calls} tool calls held`;
  return undefined;
}

/** The built-in prototypes a pollution would reach through `__proto__`, `constructor.prototype` and the like. */
const guardedPrototypes: ReadonlyArray<[string, object]> = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
];

/** Every own property of the guarded prototypes, with its value or accessors, by name. */
function prototypeProperties(): Map<string, PropertyDescriptor> {
  const found = new Map<string, PropertyDescriptor>();
  for (const [name, prototype] of guardedPrototypes) {
    for (const key of Reflect.ownKeys(prototype)) {
      found.set(`${name}.${String(key)}`, Reflect.getOwnPropertyDescriptor(prototype, key)!);
    }
  }
  return found;
}

const pristinePrototypes = prototypeProperties();

/** How the guarded prototypes differ from when the suite began: a property added, removed or given another value. */
function prototypeChange(): string | undefined {
  const now = prototypeProperties();
  for (const [name, descriptor] of now) {
    const before = pristinePrototypes.get(name);
    if (before === undefined) return `${name} was added`;
    if (!Object.is(before.value, descriptor.value) || before.get !== descriptor.get || before.set !== descriptor.set)
      return `${name} was given another value`;
  }
  for (const name of pristinePrototypes.keys()) if (!now.has(name)) return `${name} was removed`;
  return undefined;
}

/** The first object within a result that inherits from anything but Object.prototype or Array.prototype. */
function foreignPrototype(value: unknown, path: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== Array.prototype) return `${path} has a foreign prototype`;
  for (const [key, item] of Object.entries(value)) {
    const found = foreignPrototype(item, `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

/** Reads a scenario every way at once (result, an iterator, every listener) and checks each promise. */
export async function observe(s: Scenario): Promise<Observation> {
  const violations: string[] = [];
  const started = performance.now();
  const stream = streamText({
    url: 'http://fuzz.test/stream',
    body: { fuzz: true },
    provider: s.asked,
    fetch: fetchOf(s),
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 5 },
    idleTimeoutMs,
    maxEventBytes: fuzzMaxEventBytes,
    limits: fuzzLimits,
  });
  let settled = false;
  let parts = 0;
  let finishes = 0;
  let errors = 0;
  stream.on('part', (part) => {
    parts++;
    if (settled) violations.push(`a part listener was called after the stream settled (${part.type})`);
    const problem = conforms(part);
    if (problem !== undefined) violations.push(problem);
  });
  stream.on('text', () => {
    if (settled) violations.push('a text listener was called after the stream settled');
  });
  stream.on('finish', () => {
    finishes++;
    if (settled) violations.push('a finish listener was called after the stream settled');
  });
  stream.on('error', (error) => {
    errors++;
    if (settled) violations.push('an error listener was called after the stream settled');
    if (!(error instanceof StreamError)) violations.push(`an error listener got ${String(error)}`);
  });
  const iterated = (async () => {
    let count = 0;
    try {
      for await (const part of stream) if (part !== undefined) count++;
      return { count };
    } catch (error) {
      return { count, error };
    }
  })();
  const deadline = <Value>(promise: Promise<Value>, what: string) =>
    Promise.race([
      promise,
      new Promise<'late'>((resolve) => setTimeout(() => resolve('late'), settleWithinMs).unref?.()),
    ]).then((value) => {
      if (value === 'late') violations.push(`${what} did not settle within ${settleWithinMs} ms`);
      return value;
    });
  const outcome = await deadline(
    stream.result().then(
      (result) => ({ result }),
      (error: unknown) => ({ error }),
    ),
    'result()',
  );
  settled = true;
  // Work that blocks the event loop holds back the deadline's own timer: measured, it shows.
  const elapsed = performance.now() - started;
  if (elapsed > settleWithinMs) violations.push(`the stream took ${Math.round(elapsed)} ms to settle`);
  const iteration = await deadline(iterated, 'an iterator');
  const bytes = bytesOf(s).reduce((total, chunk) => total + chunk.byteLength, 0);
  if (outcome === 'late') return { violations, outcome: 'failed', bytes };
  if (iteration !== 'late') {
    if (iteration.count !== parts) violations.push(`the iterator saw ${iteration.count} parts, the listeners ${parts}`);
    if ('error' in outcome !== 'error' in iteration)
      violations.push('result() and the iterator disagree on the outcome');
    else if ('error' in outcome && iteration.error !== outcome.error)
      violations.push('the iterator threw another error');
  }
  const polluted = prototypeChange();
  if (polluted !== undefined) violations.push(polluted);
  if ('error' in outcome) {
    const error = outcome.error;
    if (!(error instanceof StreamError)) {
      violations.push(
        `result() rejected with ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
      );
      return { violations, outcome: 'failed', bytes };
    }
    if (errors !== 1) violations.push(`${errors} error listener calls for one failure`);
    if (finishes !== 0) violations.push('a failed stream called its finish listeners');
    if (error.partial.text !== stream.text) violations.push('the partial result lost text the reader saw');
    const excess = withinLimits(error.partial);
    if (excess !== undefined) violations.push(excess);
    const foreign = foreignPrototype(error.partial, 'partial');
    if (foreign !== undefined) violations.push(foreign);
    return { violations, outcome: 'failed', kind: error.kind, bytes };
  }
  if (finishes !== 1 || errors !== 0)
    violations.push(`${finishes} finish and ${errors} error listener calls for one finish`);
  const excess = withinLimits(outcome.result);
  if (excess !== undefined) violations.push(excess);
  const foreign = foreignPrototype(outcome.result, 'result');
  if (foreign !== undefined) violations.push(foreign);
  if (parts > fuzzLimits.maxParts) violations.push(`${parts} parts held`);
  return { violations, outcome: 'finished', bytes };
}

/** Raw event-stream input for the parser alone: any text or bytes, split anywhere. */
export const rawInput: fc.Arbitrary<{ chunks: Array<string | Uint8Array>; maxEventBytes: number }> = fc.record({
  chunks: fc.array(
    fc.oneof(
      fc.string({ unit: 'binary', maxLength: 120 }),
      fc.uint8Array({ maxLength: 120 }),
      fc.constantFrom(
        'data: ',
        'id: ',
        'event: ',
        'retry: 99\n',
        '\r',
        '\n',
        '\r\n',
        ':',
        '\uFEFF',
        '\u0000',
        'data: x'.repeat(40),
      ),
    ),
    { maxLength: 40 },
  ),
  maxEventBytes: fc.constantFrom(16, 256, 4096, Infinity),
});

/** What may escape the parser: only its own typed error. */
export function onlyTypedParserErrors(error: unknown): boolean {
  return error instanceof SSEParseError;
}
