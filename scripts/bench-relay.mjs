// `pnpm bench:relay`: builds the relay benchmark (bench/relay, TypeScript) with esbuild, leaving
// the packages it uses external so it runs against their builds, then runs it.
// `node scripts/bench-relay.mjs --per-token [relay|memory] [replies] [rounds]` runs the in-process
// micro-benchmark of the cost per token instead (bench/relay/perToken.ts).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}node_modules/.cache/sluice-bench-relay`;
await build({
  entryPoints: ['run.ts', 'sluiceServer.ts', 'resumableStreamServer.ts', 'floorServer.ts', 'perToken.ts'].map(
    (file) => `${root}bench/relay/${file}`,
  ),
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  outdir,
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
const perToken = process.argv[2] === '--per-token';
const command = perToken
  ? ['--expose-gc', `${outdir}/perToken.mjs`, ...process.argv.slice(3)]
  : [`${outdir}/run.mjs`, ...process.argv.slice(2)];
const { status } = spawnSync(process.execPath, command, { stdio: 'inherit' });
process.exit(status ?? 1);
