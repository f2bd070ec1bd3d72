// Size budgets, min+gzip, measured on the built packages as a bundler would ship them.
//
// Each row is either a whole entry (everything it exports, nothing shaken off) or the named
// imports of an entry (what an app that uses only those ships). A `limit` is enforced: over it,
// the script exits 1. A `target` is what an issue asks for; a row that misses its target is
// printed as such, loudly, and does not fail the run, so the gap stays visible without hiding
// the limits that do hold the line.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const KiB = 1024;
const client = 'packages/stream-client/dist/index.js';
const react = 'packages/react/dist/index.js';
const reactPeers = ['react', 'react-dom', 'react/jsx-runtime', 'marked'];

const rows = [
  {
    name: '@sluice/stream-client, whole main entry',
    entry: client,
    // Issue 7 asks for 5 KiB. The parser, four provider decoders, streamText with retry, resume,
    // timeouts and metrics, and the two stores measured about 11 KiB; the sluice protocol's reply
    // identity, its part validation, format-mismatch detection and describeStreamError (issue 11)
    // brought it to about 13.25 KiB, and sources, server tools, tool requests and continuation in
    // every decoder (issue 13) to about 16.4 KiB, and defensive reading, limits, settling on every
    // path and the content timeout (issues 17 and 18) to about 17.6 KiB, and resuming a chat's
    // reply after a reload or in a second tab (issue 12: ChatSession.resume, its replay in place and
    // the probe that never holds up a send) to about 18.35 KiB. The limit stops growth while that
    // target is decided.
    target: 5 * KiB,
    limit: 18.5 * KiB,
  },
  {
    name: '@sluice/stream-client, parseSSE and createSSEParser only',
    entry: client,
    imports: ['parseSSE', 'createSSEParser'],
    limit: 2.25 * KiB,
  },
  {
    // The anchor for the parser: its push parser plus the stream wrapper, as parseSSE is both.
    name: 'anchor: eventsource-parser, createParser and EventSourceParserStream',
    source:
      "export { createParser } from 'eventsource-parser'; export { EventSourceParserStream } from 'eventsource-parser/stream';",
  },
  {
    name: '@sluice/stream-client, streamText only (with parser and decoders)',
    entry: client,
    imports: ['streamText'],
    // 7.7 KiB before issue 11 added reply identity, part validation and mismatch detection (9.3),
    // issue 13 the parts beyond text in every decoder (12.0), and issues 17 and 18 defensive reading,
    // limits and the content timeout (13.0): all four decoders are in it.
    limit: 13.25 * KiB,
  },
  {
    name: '@sluice/stream-client, ChatSession and TextStreamStore (with streamText)',
    entry: client,
    imports: ['ChatSession', 'TextStreamStore'],
  },
  {
    name: '@sluice/react, hooks and components (without marked and stream-client)',
    entry: react,
    external: [...reactPeers, '@sluice/stream-client'],
    limit: 10 * KiB,
  },
  {
    name: '@sluice/react, everything with stream-client (without marked)',
    entry: react,
    external: reactPeers,
  },
  {
    name: '@sluice/stream-client/server, whole',
    entry: 'packages/stream-client/dist/server/index.js',
  },
];

/** The entry as esbuild should see it: the file itself, or a module that re-exports some of it or of an anchor. */
function entryOptions(row) {
  if (row.imports === undefined && row.source === undefined) return { entryPoints: [row.entry] };
  return {
    stdin: {
      contents: row.source ?? `export { ${row.imports.join(', ')} } from './${row.entry}';`,
      resolveDir: process.cwd(),
      loader: 'js',
    },
  };
}

function kibibytes(bytes) {
  return `${(bytes / KiB).toFixed(2)} KiB`;
}

let failed = false;
for (const row of rows) {
  const result = await build({
    ...entryOptions(row),
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    external: row.external ?? [],
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  const gzipped = gzipSync(code, { level: 9 }).length;
  const overLimit = row.limit !== undefined && gzipped > row.limit;
  const missesTarget = row.target !== undefined && gzipped > row.target;
  failed ||= overLimit;
  const notes = [];
  if (row.limit !== undefined) notes.push(`limit ${kibibytes(row.limit)}`);
  if (row.target !== undefined) notes.push(`target ${kibibytes(row.target)}${missesTarget ? ' NOT MET' : ' met'}`);
  if (notes.length === 0) notes.push('reported');
  const mark = overLimit ? 'OVER' : missesTarget ? 'MISS' : 'ok  ';
  console.log(
    `${mark} ${row.name}: ${kibibytes(gzipped)} min+gzip (${kibibytes(code.length)} min); ${notes.join(', ')}`,
  );
}
if (failed) {
  console.error('A size limit was exceeded.');
  process.exit(1);
}
