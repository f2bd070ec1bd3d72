/*
 * `pnpm bench:relay`: many concurrent replies through the server half, on loopback, with the
 * in-memory store, with Redis (@sluice/redis), and with Vercel's resumable-stream on the same Redis
 * for comparison. The mock provider and the clients share this process (and so one clock): the
 * time to first token the relay adds is measured from the provider writing a reply's first token
 * to its client reading it. One client in ten has its connection cut mid-answer and resumes, on a
 * second server process where the store is shared. The clients read the raw event stream, without
 * the Sluice client's own deduplication, so every token the servers lose or repeat is counted.
 *
 * After the table, a line per goal of issue 12 says whether it is met (0 tokens lost or
 * duplicated; under 50 KiB of server memory per open reply; an event-loop delay p99 under 50 ms at
 * 1,000 replies), with resumable-stream's figure and the ratio; and whether this machine kept up
 * with 5,000 replies at a realistic token rate (a token every 50 ms) at all.
 *
 * `pnpm bench:relay --quick` runs small numbers, to check the benchmark itself. The Sluice servers
 * ask the provider through `createNodeFetch`, as the README recommends for Node; with
 * `BUILTIN_FETCH=1` in the environment they all use Node's built-in fetch instead.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { availableParallelism } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createClient } from 'redis';
import { createSSEParser } from '@sluice/stream-client';
import { providerEvents } from '@sluice/stream-client/testing';
import { startRedisServer } from '../../test/support/redisServer.js';
import type { RedisServer } from '../../test/support/redisServer.js';

/**
 * The stores compared, and two floors with no store: a byte pipe, and the sluice relay alone.
 * `memory-builtin-fetch` is the memory store asking the provider through Node's built-in fetch
 * rather than createNodeFetch, side by side with it.
 */
type Kind = 'pipe' | 'relay' | 'memory' | 'memory-builtin-fetch' | 'redis' | 'resumable-stream';

/** Floors cannot resume: their clients are not cut. */
const isFloor = (kind: Kind) => kind === 'pipe' || kind === 'relay';

interface Scenario {
  kind: Kind;
  replies: number;
  /** Milliseconds between a reply's tokens. */
  intervalMs: number;
}

const TOKENS = 60;
const CUT_ONE_IN = 10;
/** The goals of issue 12. */
const GOAL_KIB_PER_REPLY = 50;
const GOAL_EVENT_LOOP_P99_MS = 50;
/**
 * A run kept up when its last tokens reached their clients less than this late (p99): a server
 * that cannot keep up falls further behind with every token, by seconds over a reply.
 */
const SUSTAINED_LAST_TOKEN_MS = 1000;
/** How wide the name of a goal is printed. */
const GOAL_WIDTH = 30;
const quick = process.argv.includes('--quick');
// `--only=redis`, `--only=redis:5000` or `--only=redis:1000:50,memory:1000:50`: only those scenarios.
const only = process.argv.find((argument) => argument.startsWith('--only='))?.slice('--only='.length);
const allScenarios: Scenario[] = quick
  ? [
      { kind: 'memory', replies: 100, intervalMs: 20 },
      { kind: 'redis', replies: 100, intervalMs: 20 },
      { kind: 'resumable-stream', replies: 100, intervalMs: 20 },
    ]
  : [
      { kind: 'pipe', replies: 1000, intervalMs: 50 },
      { kind: 'relay', replies: 1000, intervalMs: 50 },
      { kind: 'memory', replies: 1000, intervalMs: 50 },
      { kind: 'memory-builtin-fetch', replies: 1000, intervalMs: 50 },
      { kind: 'redis', replies: 1000, intervalMs: 50 },
      { kind: 'resumable-stream', replies: 1000, intervalMs: 50 },
      { kind: 'pipe', replies: 1000, intervalMs: 250 },
      { kind: 'relay', replies: 1000, intervalMs: 250 },
      { kind: 'memory', replies: 1000, intervalMs: 250 },
      { kind: 'redis', replies: 1000, intervalMs: 250 },
      { kind: 'resumable-stream', replies: 1000, intervalMs: 250 },
      { kind: 'redis', replies: 2500, intervalMs: 1000 },
      { kind: 'resumable-stream', replies: 2500, intervalMs: 1000 },
      { kind: 'redis', replies: 5000, intervalMs: 1000 },
      { kind: 'resumable-stream', replies: 5000, intervalMs: 1000 },
      // A realistic token rate for 5,000 replies: 100,000 tokens a second through one process.
      { kind: 'redis', replies: 5000, intervalMs: 50 },
      { kind: 'resumable-stream', replies: 5000, intervalMs: 50 },
    ];
const scenarios = allScenarios.filter(
  (scenario) =>
    only === undefined ||
    only
      .split(',')
      .some((wanted) =>
        [
          scenario.kind,
          `${scenario.kind}:${scenario.replies}`,
          `${scenario.kind}:${scenario.replies}:${scenario.intervalMs}`,
        ].includes(wanted),
      ),
);

const here = fileURLToPath(new URL('.', import.meta.url));

// ---------------------------------------------------------------------------------------------
// The mock provider: an OpenAI-compatible endpoint. It holds every request until all of a run's
// requests have arrived, so all replies are open at once, then streams each reply's own tokens.

const provider = {
  expected: 0,
  arrived: 0,
  intervalMs: 50,
  release: () => {},
  released: Promise.resolve(),
  quiet: undefined as ReturnType<typeof setTimeout> | undefined,
  /** Releases the replies that did arrive once none has for 3 s: a client that could not connect must not hold up the run (it is counted as unfinished). */
  releaseIfQuiet() {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.release(), 3000);
  },
  firstTokenAt: new Map<number, number>(),
  lastTokenAt: new Map<number, number>(),
  begin(expected: number, intervalMs: number) {
    this.expected = expected;
    this.arrived = 0;
    this.intervalMs = intervalMs;
    this.firstTokenAt.clear();
    this.lastTokenAt.clear();
    clearTimeout(this.quiet);
    this.released = new Promise<void>((resolve) => {
      this.release = () => {
        clearTimeout(this.quiet);
        resolve();
      };
    });
  },
};

const tokensOf = (reply: number) => Array.from({ length: TOKENS }, (_, index) => ` r${reply}t${index}`);

async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: Array<{ content: string }> };
  const reply = Number(/reply-(\d+)/.exec(messages.at(-1)!.content)![1]);
  const blocks = providerEvents('openai', { text: tokensOf(reply) });
  // The response begins at once, as a provider's does; its tokens wait for every reply to be open.
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  response.write(blocks[0]);
  let closed = false;
  response.on('close', () => (closed = true));
  if (++provider.arrived === provider.expected) provider.release();
  else provider.releaseIfQuiet();
  await provider.released;
  let index = 1;
  const next = () => {
    if (closed) return;
    if (index === 1) provider.firstTokenAt.set(reply, performance.now());
    if (index === TOKENS) provider.lastTokenAt.set(reply, performance.now());
    response.write(blocks[index++]);
    if (index < blocks.length) setTimeout(next, index <= TOKENS ? provider.intervalMs : 0);
    else response.end();
  };
  // First tokens spread over a second, as real replies' would be: not a herd at one instant.
  setTimeout(next, Math.random() * Math.max(provider.intervalMs, 1000));
}

// ---------------------------------------------------------------------------------------------
// Server processes.

interface Instance {
  url: string;
  process: ChildProcess;
}

async function startInstance(kind: Kind, providerUrl: string, redisUrl: string): Promise<Instance> {
  const script =
    kind === 'resumable-stream' ? 'resumableStreamServer.mjs' : isFloor(kind) ? 'floorServer.mjs' : 'sluiceServer.mjs';
  const environment: NodeJS.ProcessEnv = { ...process.env, PROVIDER_URL: providerUrl, FLOOR: kind };
  if (kind === 'memory-builtin-fetch') environment['BUILTIN_FETCH'] = '1';
  if (kind === 'memory' || kind === 'memory-builtin-fetch' || isFloor(kind)) delete environment['REDIS_URL'];
  else environment['REDIS_URL'] = redisUrl;
  // BENCH_SERVER_FLAGS: more Node flags for the server processes (`--cpu-prof`, say).
  const flags = (process.env['BENCH_SERVER_FLAGS'] ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, ['--expose-gc', ...flags, `${here}/${script}`], {
    env: environment,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      // BENCH_SERVER_LOG: what the servers print (with --trace-gc, say), on this process's stderr.
      if (process.env['BENCH_SERVER_LOG']) process.stderr.write(chunk);
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the ${kind} server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, process: child };
}

interface ServerStats {
  rss: number;
  heapUsed: number;
  /** Memory outside the JavaScript heap: socket and stream buffers. */
  external: number;
  eventLoopDelay: { p50: number; p99: number; max: number };
}

/** What a process holds: its JavaScript heap in use, and the buffers outside it. */
const heldBy = (stats: ServerStats) => stats.heapUsed + stats.external;

/**
 * A server's own figures. A pooled connection the server has just closed as idle fails at once
 * (ECONNRESET), so a failed read is tried again on a fresh connection.
 */
async function statsOf(instance: Instance, what = ''): Promise<ServerStats> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await (await fetch(`${instance.url}/stats${what}`)).json()) as ServerStats;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Clients: the raw event stream, parsed but not deduplicated.

interface Outcome {
  reply: number;
  tokens: string[];
  firstAt: number | undefined;
  /** When the last token the client read arrived. */
  lastAt: number | undefined;
  finished: boolean;
  failure: string | undefined;
  connections: number;
}

async function read(kind: Kind, reply: number, first: string, resumeTo: string, cutAt: number | undefined) {
  const outcome: Outcome = {
    reply,
    tokens: [],
    firstAt: undefined,
    lastAt: undefined,
    finished: false,
    failure: undefined,
    connections: 0,
  };
  const parser = createSSEParser({
    onEvent(event) {
      if (event.type === 'text-delta') {
        outcome.lastAt = performance.now();
        outcome.firstAt ??= outcome.lastAt;
        outcome.tokens.push((JSON.parse(event.data) as { text: string }).text);
      } else if (kind === 'pipe' && event.type === 'message') {
        // The provider's own chunks, as the byte pipe passes them on.
        if (event.data === '[DONE]') {
          outcome.finished = true;
          return;
        }
        const content = (JSON.parse(event.data) as { choices?: Array<{ delta?: { content?: string } }> }).choices?.[0]
          ?.delta?.content;
        if (content) {
          outcome.lastAt = performance.now();
          outcome.firstAt ??= outcome.lastAt;
          outcome.tokens.push(content);
        }
      } else if (event.type === 'finish') {
        outcome.finished = true;
      } else if (event.type === 'error') {
        outcome.failure = event.data;
      }
    },
  });
  let streamId: string | null = null;
  let characters = 0;
  const body = JSON.stringify({ messages: [{ role: 'user', content: `reply-${reply}` }] });
  for (;;) {
    outcome.connections++;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (outcome.connections > 1) {
      if (kind === 'resumable-stream') {
        headers['x-stream-id'] = streamId!;
        headers['x-resume-at'] = String(characters);
      } else {
        headers['last-event-id'] = parser.lastEventId;
      }
    }
    let response: Response;
    try {
      response = await fetch(outcome.connections === 1 ? first : resumeTo, { method: 'POST', headers, body });
    } catch (error) {
      outcome.failure = `fetch failed: ${(error as Error).message}`;
      return outcome;
    }
    if (!response.ok) {
      outcome.failure = `HTTP ${response.status}`;
      return outcome;
    }
    streamId ??= response.headers.get('x-stream-id');
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let bytes = 0;
    let cut = false;
    for (;;) {
      let step: ReadableStreamReadResult<Uint8Array>;
      try {
        step = await reader.read();
      } catch (error) {
        // The server fell over mid-reply: a reply that did not finish, counted as such.
        outcome.failure = `the connection broke: ${(error as Error).message}`;
        return outcome;
      }
      if (step.done) break;
      let chunk = step.value;
      if (outcome.connections === 1 && cutAt !== undefined && bytes + chunk.byteLength >= cutAt) {
        chunk = chunk.subarray(0, cutAt - bytes);
        cut = true;
      }
      bytes += chunk.byteLength;
      const text = decoder.decode(chunk, { stream: !cut });
      characters += text.length;
      parser.feed(text);
      if (cut) {
        await reader.cancel();
        break;
      }
    }
    if (!cut) return outcome;
    // A cut mid-event: Last-Event-ID names the last whole event, so the part of the next is
    // dropped; resumable-stream continues at the very character, so it is kept.
    if (kind !== 'resumable-stream') parser.reset();
  }
}

// ---------------------------------------------------------------------------------------------

function percentile(values: readonly number[], fraction: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = values.toSorted((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))]!;
}

interface Result {
  scenario: Scenario;
  lost: number;
  duplicated: number;
  outOfOrder: number;
  unfinished: number;
  failures: string[];
  ttftAddedP50: number;
  ttftAddedP99: number;
  /** How late the last token reached its client, after the provider wrote it: a server that falls behind shows it here. */
  lastAddedP99: number;
  kibPerReply: number;
  retainedKibPerReply: number;
  eventLoopP99: number;
  loadEventLoopP99: number;
  seconds: number;
}

async function run(scenario: Scenario, providerUrl: string, redis: RedisServer): Promise<Result> {
  const { kind, replies } = scenario;
  if (kind === 'redis' || kind === 'resumable-stream') {
    const client = createClient({ url: redis.url });
    await client.connect();
    await client.flushAll();
    client.destroy();
  }
  const producer = await startInstance(kind, providerUrl, redis.url);
  // With a shared store, a cut client resumes through another process, as behind a load balancer.
  const resumer =
    kind === 'redis' || kind === 'resumable-stream' ? await startInstance(kind, providerUrl, redis.url) : producer;
  try {
    // The baseline is the fresh process, garbage collected: what the run adds to it, warm-up and
    // compiled code included, is charged to the replies, so the figure errs on the high side.
    const baseline = await statsOf(producer, '/gc');
    // Warm up: code paths compiled, connections pooled, before anything is timed.
    provider.begin(50, 1);
    await Promise.all(
      Array.from({ length: 50 }, (_, reply) => read(kind, reply, `${producer.url}/`, `${resumer.url}/`, undefined)),
    );

    provider.begin(replies, scenario.intervalMs);
    const load = monitorEventLoopDelay({ resolution: 5 });
    let peak = baseline;
    let retained = baseline;
    const sampler = { running: true };
    void provider.released.then(async () => {
      await statsOf(producer, '/reset');
      load.enable();
      // Half way through, when every reply is open: what they hold once garbage is collected.
      setTimeout(
        () =>
          void statsOf(producer, '/gc').then(
            (now) => (retained = now),
            () => {},
          ),
        1000 + (TOKENS * scenario.intervalMs) / 2,
      );
      // All replies are open until their last token: sample memory while they are.
      while (sampler.running) {
        // A server that has fallen over reads as nothing more: the outcome of its replies says the rest.
        const now = await statsOf(producer).catch(() => undefined);
        if (now !== undefined && now.rss > peak.rss) peak = now;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    });
    const started = performance.now();
    const outcomes = await Promise.all(
      Array.from({ length: replies }, (_, reply) =>
        read(
          kind,
          reply,
          `${producer.url}/`,
          `${resumer.url}/`,
          !isFloor(kind) && reply % CUT_ONE_IN === CUT_ONE_IN - 1 ? 400 + Math.floor(Math.random() * 4000) : undefined,
        ),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    sampler.running = false;
    load.disable();
    const end = await statsOf(producer).catch(() => undefined);
    if (process.env['BENCH_DEBUG']) {
      console.log({ baseline, peak, end });
      if (kind === 'redis' || kind === 'resumable-stream') {
        const client = createClient({ url: redis.url });
        await client.connect();
        console.log(JSON.stringify(await client.sendCommand(['SLOWLOG', 'GET', '8'])).slice(0, 3000));
        console.log((await client.info('commandstats')).slice(0, 3000));
        client.destroy();
      }
    }

    let lost = 0;
    let duplicated = 0;
    let outOfOrder = 0;
    let unfinished = 0;
    const failures: string[] = [];
    const added: number[] = [];
    const lastAdded: number[] = [];
    for (const outcome of outcomes) {
      const expected = tokensOf(outcome.reply);
      const counts = new Map<string, number>();
      for (const token of outcome.tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
      for (const token of expected) {
        const count = counts.get(token) ?? 0;
        if (count === 0) lost++;
        else duplicated += count - 1;
      }
      duplicated += outcome.tokens.filter((token) => !expected.includes(token)).length;
      if (outcome.tokens.join('') !== expected.join('') && counts.size === expected.length) outOfOrder++;
      if (!outcome.finished) unfinished++;
      if (outcome.failure !== undefined && failures.length < 3) failures.push(outcome.failure);
      const providerAt = provider.firstTokenAt.get(outcome.reply);
      if (outcome.firstAt !== undefined && providerAt !== undefined) added.push(outcome.firstAt - providerAt);
      const providerLastAt = provider.lastTokenAt.get(outcome.reply);
      if (outcome.lastAt !== undefined && providerLastAt !== undefined) lastAdded.push(outcome.lastAt - providerLastAt);
    }
    return {
      scenario,
      lost,
      duplicated,
      outOfOrder,
      unfinished,
      failures,
      ttftAddedP50: percentile(added, 0.5),
      ttftAddedP99: percentile(added, 0.99),
      lastAddedP99: percentile(lastAdded, 0.99),
      kibPerReply: (peak.rss - baseline.rss) / 1024 / replies,
      retainedKibPerReply: (heldBy(retained) - heldBy(baseline)) / 1024 / replies,
      eventLoopP99: end?.eventLoopDelay.p99 ?? Number.NaN,
      loadEventLoopP99: Math.max(0, load.percentile(99) / 1e6 - 5),
      seconds,
    };
  } finally {
    // SIGTERM: a server exits at once, writing its profile when it was asked for one.
    producer.process.kill('SIGTERM');
    if (resumer !== producer) resumer.process.kill('SIGTERM');
  }
}

const providerServer = createServer((request, response) => void answer(request, response));
providerServer.keepAliveTimeout = 60_000;
await new Promise<void>((resolve) => providerServer.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, resolve));
const providerUrl = `http://127.0.0.1:${(providerServer.address() as AddressInfo).port}/v1`;
const redis = await startRedisServer();
const results: Result[] = [];
try {
  for (const scenario of scenarios) {
    process.stdout.write(`${scenario.kind}, ${scenario.replies} replies... `);
    try {
      const result = await run(scenario, providerUrl, redis);
      results.push(result);
      console.log(`${result.seconds.toFixed(1)} s`);
    } catch (error) {
      // A server that falls over under load is a result too: the run goes on with the others.
      console.log(`could not be measured: ${(error as Error).message}`);
    }
  }
} finally {
  providerServer.close();
  providerServer.closeAllConnections();
  await redis.stop();
}

const fixed = (value: number, digits = 1) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const ratio = (value: number, anchor: number) =>
  Number.isFinite(value / anchor) && anchor > 0 ? `${fixed(value / anchor, 2)}x` : 'n/a';
/** For a run on Redis, resumable-stream's run of the same numbers on the same Redis, if there was one. */
const anchorOf = (result: Result) =>
  results.find(
    (other) =>
      result.scenario.kind === 'redis' &&
      other.scenario.kind === 'resumable-stream' &&
      other.scenario.replies === result.scenario.replies &&
      other.scenario.intervalMs === result.scenario.intervalMs,
  );
console.log(
  `\n${TOKENS} tokens per reply; one client in ${CUT_ONE_IN} cut mid-answer and resumed (through a second server process where the store is shared).`,
);
console.table(
  results.map((result) => ({
    store: result.scenario.kind,
    replies: result.scenario.replies,
    'token every': `${result.scenario.intervalMs} ms`,
    lost: result.lost,
    duplicated: result.duplicated,
    'out of order': result.outOfOrder,
    unfinished: result.unfinished,
    'TTFT added p50 (ms)': fixed(result.ttftAddedP50),
    'TTFT added p99 (ms)': fixed(result.ttftAddedP99),
    'last token added p99 (ms)': fixed(result.lastAddedP99),
    'peak RSS per open reply (KiB)': fixed(result.kibPerReply),
    'held per open reply after GC (KiB)': fixed(result.retainedKibPerReply),
    'server event-loop delay p99 (ms)': fixed(result.eventLoopP99),
    'load process event-loop delay p99 (ms)': fixed(result.loadEventLoopP99),
  })),
);
for (const result of results) {
  if (result.failures.length > 0)
    console.log(`${result.scenario.kind} ${result.scenario.replies}: e.g. ${result.failures.join(' | ')}`);
}
// Side by side on the same Redis: Sluice's figures over resumable-stream's.
for (const redisResult of results.filter((result) => result.scenario.kind === 'redis')) {
  const other = anchorOf(redisResult);
  if (other === undefined) continue;
  console.log(
    `${redisResult.scenario.replies} replies, a token every ${redisResult.scenario.intervalMs} ms, @sluice/redis / resumable-stream: ` +
      `peak RSS per reply ${ratio(redisResult.kibPerReply, other.kibPerReply)}, held after GC ${ratio(redisResult.retainedKibPerReply, other.retainedKibPerReply)}, ` +
      `TTFT added p99 ${ratio(redisResult.ttftAddedP99, other.ttftAddedP99)}, event-loop delay p99 ${ratio(redisResult.eventLoopP99, Math.max(other.eventLoopP99, 0.1))}; ` +
      `tokens lost + duplicated ${redisResult.lost + redisResult.duplicated} vs ${other.lost + other.duplicated}`,
  );
}

console.log('\nThe goals of issue 12 (resumable-stream on the same Redis, in the same run, for comparison):');
const sluiceResults = results.filter((result) => result.scenario.kind === 'memory' || result.scenario.kind === 'redis');
/**
 * Whether the clients got the tokens about as fast as the provider wrote them: a run that falls
 * further behind with every token measures an overloaded machine more than the server.
 */
const keptUp = (result: Result) => result.unfinished === 0 && result.lastAddedP99 < SUSTAINED_LAST_TOKEN_MS;
const name = (result: Result) =>
  `${result.scenario.kind} ${result.scenario.replies} @ ${result.scenario.intervalMs} ms${keptUp(result) ? '' : ' (overloaded)'}`.padEnd(
    38,
  );
const verdict = (met: boolean) => (met ? 'PASS' : 'FAIL');
const beside = (result: Result, figure: (result: Result) => string, value?: (result: Result) => number) => {
  const other = anchorOf(result);
  if (other === undefined) return '';
  const compared = value === undefined ? '' : `, ratio ${ratio(value(result), value(other))}`;
  return ` (resumable-stream ${figure(other)}${compared})`;
};
for (const result of sluiceResults) {
  const wrong = (one: Result) => `${one.lost} lost, ${one.duplicated} duplicated, ${one.outOfOrder} out of order`;
  const met = result.lost === 0 && result.duplicated === 0 && result.outOfOrder === 0 && result.unfinished === 0;
  console.log(
    `${verdict(met)}  ${'0 lost, 0 duplicated'.padEnd(GOAL_WIDTH)} ${name(result)} ${wrong(result)}, ${result.unfinished} unfinished${beside(result, wrong)}`,
  );
}
for (const result of sluiceResults) {
  const kib = (one: Result) => `${fixed(one.kibPerReply)} KiB`;
  console.log(
    `${verdict(result.kibPerReply < GOAL_KIB_PER_REPLY)}  ${`< ${GOAL_KIB_PER_REPLY} KiB per open reply`.padEnd(GOAL_WIDTH)} ${name(result)} ${kib(result)} peak RSS, ${fixed(result.retainedKibPerReply)} KiB held after GC${beside(result, kib, (one) => one.kibPerReply)}`,
  );
}
for (const result of sluiceResults.filter((one) => one.scenario.replies === 1000)) {
  const delay = (one: Result) => `${fixed(one.eventLoopP99)} ms`;
  console.log(
    `${verdict(result.eventLoopP99 < GOAL_EVENT_LOOP_P99_MS)}  ${`event-loop delay p99 < ${GOAL_EVENT_LOOP_P99_MS} ms`.padEnd(GOAL_WIDTH)} ${name(result)} ${delay(result)}${beside(result, delay, (one) => Math.max(one.eventLoopP99, 0.1))}`,
  );
}
// Whether the machine kept up with the realistic rate at 5,000 replies: if it did not, the rows of
// that run measure an overloaded machine, and say so rather than pass for figures of the server.
const realistic = results.filter((one) => one.scenario.replies === 5000 && one.scenario.intervalMs <= 50);
if (realistic.length > 0) {
  console.log(
    `\nWhether this machine (${availableParallelism()} cores, shared by the server processes, Redis and the load generator) kept up with 5,000 replies at a realistic rate:`,
  );
}
for (const result of realistic) {
  const offered = (result.scenario.replies * 1000) / result.scenario.intervalMs;
  console.log(
    `${keptUp(result) ? 'KEPT UP' : 'DID NOT KEEP UP'}  ${name(result)} ${offered} tokens/s offered: ` +
      `the last tokens reached their clients ${fixed(result.lastAddedP99, 0)} ms late (p99), ${result.unfinished} replies unfinished; ` +
      `event-loop delay p99 ${fixed(result.eventLoopP99)} ms in the server, ${fixed(result.loadEventLoopP99)} ms in the load generator`,
  );
}
