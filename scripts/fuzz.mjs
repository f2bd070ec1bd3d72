// pnpm fuzz [seconds]: the fuzz suite of packages/stream-client/fuzz for a time budget (default ten
// minutes) with a fresh seed, or FUZZ_SEED's to replay a failure. It prints how many cases ran, how
// much input they made, and the seed of any failure.
import { spawn } from 'node:child_process';

const seconds = Number(process.argv[2] ?? process.env.FUZZ_SECONDS ?? 600);
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
console.log(`fuzz: ${seconds} s with seed ${seed} (replay with FUZZ_SEED=${seed} pnpm fuzz ${seconds})`);
const child = spawn(
  process.execPath,
  [
    'node_modules/vitest/vitest.mjs',
    'run',
    '--project',
    'stream-client',
    'fuzz/hostileStreams.test.ts',
    '--reporter',
    'verbose',
  ],
  { stdio: 'inherit', env: { ...process.env, FUZZ_MS: String(seconds * 1000), FUZZ_SEED: seed } },
);
child.on('exit', (code) => {
  if (code !== 0) console.error(`fuzz: FAILED; replay with FUZZ_SEED=${seed} pnpm fuzz ${seconds}`);
  process.exit(code ?? 1);
});
