// Checks the packages as they would be published: publint (strict) on each, are-the-types-wrong on
// each packed tarball (ESM-only packages: the CommonJS resolutions are expected to fail), and that
// no test file is shipped, that each ships its LICENSE and takes its siblings as ranges, and that no declaration file has an `any` in it. Exits 1 on any problem.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';

const packages = [
  { directory: 'packages/stream-client', exclude: [] },
  { directory: 'packages/react', exclude: ['./styles.css'] },
  { directory: 'packages/redis', exclude: [] },
];
const destination = mkdtempSync(join(tmpdir(), 'sluice-packs-'));
const run = (command, args, options = {}) => execFileSync(command, args, { stdio: 'inherit', ...options });

/**
 * Every `any` type in the built declarations, as `file:line`. The lint rule catches an `any` that is
 * written; this catches one that TypeScript infers and writes into a `.d.ts` (an unannotated
 * `JSON.parse`, say), which users would see all the same.
 */
function anyTypesIn(directory) {
  const found = [];
  const files = readdirSync(join(directory, 'dist'), { recursive: true }).filter((file) => file.endsWith('.d.ts'));
  for (const file of files) {
    const path = join(directory, 'dist', file);
    const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node) => {
      if (node.kind === ts.SyntaxKind.AnyKeyword) {
        found.push(`${path}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

let failed = false;
for (const { directory, exclude } of packages) {
  console.log(`\n== ${directory}`);
  try {
    run('pnpm', ['exec', 'publint', directory, '--strict']);
    const before = new Set(readdirSync(destination));
    run('pnpm', ['pack', '--pack-destination', destination], {
      cwd: directory,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const tarball = join(
      destination,
      readdirSync(destination).find((file) => !before.has(file)),
    );
    const listing = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).split('\n');
    const tests = listing.filter((file) => /\.test(-d)?\.(ts|tsx|js)$/.test(file));
    if (tests.length > 0) throw new Error(`ships test files: ${tests.join(', ')}`);
    console.log(`${listing.filter(Boolean).length} files packed, no tests among them`);
    if (!listing.includes('package/LICENSE')) throw new Error('ships no LICENSE');
    // A pinned sibling would make npm install a second copy of it whenever the two are upgraded apart.
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' }));
    const pinned = Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }).filter(
      ([name, range]) => name.startsWith('@sluice/') && !range.startsWith('^'),
    );
    if (pinned.length > 0) throw new Error(`pins its siblings exactly: ${pinned.map((entry) => entry.join('@'))}`);
    console.log('licensed, siblings taken as ranges');
    const anyTypes = anyTypesIn(directory);
    if (anyTypes.length > 0) throw new Error(`declares \`any\`: ${anyTypes.join(', ')}`);
    console.log('no `any` in the declarations');
    run('pnpm', [
      'exec',
      'attw',
      tarball,
      '--profile',
      'esm-only',
      '--format',
      'table-flipped',
      ...(exclude.length ? ['--exclude-entrypoints', ...exclude] : []),
    ]);
  } catch (error) {
    failed = true;
    console.error(`${directory}: ${error instanceof Error ? error.message : error}`);
  }
}
process.exit(failed ? 1 : 0);
