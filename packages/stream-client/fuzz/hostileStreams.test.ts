/*
 * The fuzz suite. `pnpm test` runs a short, seeded pass; `pnpm fuzz` runs for a time budget with
 * a fresh seed (FUZZ_MS, FUZZ_SEED to replay), printing how many cases ran and the seed of any failure.
 */
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSSEParser } from '../src/sse/createSSEParser.js';
import { parseSSE } from '../src/sse/parseSSE.js';
import { observe, onlyTypedParserErrors, rawInput, scenario } from './hostileStreams.js';

const budgetMs = Number(process.env['FUZZ_MS'] ?? 0);
const seed = Number(process.env['FUZZ_SEED'] ?? 20_261_125);
/** A long run shares its budget between the properties; a short one runs a fixed number of cases. */
const settings = (share: number, shortRuns: number): fc.Parameters<unknown> =>
  budgetMs > 0
    ? { seed, numRuns: 1_000_000_000, interruptAfterTimeLimit: budgetMs * share }
    : { seed, numRuns: shortRuns };
const testTimeout = budgetMs > 0 ? budgetMs + 120_000 : 120_000;

/** Runs a property, and says how many cases it tried and with which seed, for a failure to be replayed. */
async function run<Value>(
  name: string,
  arbitrary: fc.Arbitrary<Value>,
  check: (value: Value) => Promise<number>,
  parameters: fc.Parameters<unknown>,
) {
  let cases = 0;
  let bytes = 0;
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(arbitrary, async (value) => {
        cases++;
        bytes += await check(value);
      }),
      parameters as fc.Parameters<[Value]>,
    );
  } catch (error) {
    console.error(`fuzz ${name}: FAILED with FUZZ_SEED=${seed} after ${cases} cases`);
    throw error;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(
    `fuzz ${name}: ${cases} cases, ${(bytes / 1_048_576).toFixed(1)} MiB of input, ${seconds} s, seed ${seed}, no violation`,
  );
  return cases;
}

describe('fuzz', () => {
  it(
    'streamText, on hostile streams of every format: only StreamErrors, every reader settled once, nothing unbounded',
    async () => {
      const cases = await run(
        'streamText',
        scenario,
        async (value) => {
          const seen = await observe(value);
          if (seen.violations.length > 0) throw new Error(seen.violations.join('\n'));
          return seen.bytes;
        },
        settings(0.8, 1500),
      );
      expect(cases).toBeGreaterThan(0);
    },
    testTimeout,
  );

  it(
    'createSSEParser and parseSSE, on any bytes split anywhere: only SSEParseError, and events of strings',
    async () => {
      const cases = await run(
        'parser',
        rawInput,
        async ({ chunks, maxEventBytes }) => {
          const parser = createSSEParser({
            onEvent: (event) => {
              if (
                typeof event.data !== 'string' ||
                typeof event.type !== 'string' ||
                typeof event.lastEventId !== 'string'
              ) {
                throw new Error('an event field is not a string');
              }
            },
            maxEventBytes,
          });
          try {
            for (const chunk of chunks) parser.feed(chunk);
            parser.end();
          } catch (error) {
            if (!onlyTypedParserErrors(error)) throw error;
          }
          const body = new ReadableStream<Uint8Array | string>({
            start(controller) {
              for (const chunk of chunks) controller.enqueue(chunk);
              controller.close();
            },
          });
          try {
            for await (const event of parseSSE(body as ReadableStream<Uint8Array>, { maxEventBytes })) {
              if (typeof event.data !== 'string') throw new Error('an event without data');
            }
          } catch (error) {
            if (!onlyTypedParserErrors(error)) throw error;
          }
          return chunks.reduce((total, chunk) => total + chunk.length, 0);
        },
        settings(0.2, 1000),
      );
      expect(cases).toBeGreaterThan(0);
    },
    testTimeout,
  );
});
