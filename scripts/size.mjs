// Size budgets, min+gzip, React external, measured on the built packages as a bundler ships them.
//
// A row bundles what an app imports (an entry whole, or some of its exports) and counts the code
// loaded up front: the static import graph, tree-shaken. Code behind a dynamic import() (a
// provider's decoder for an app that calls it directly, the tool runner, the attachment reader,
// the JSON Schema validator) is a chunk of its own that loads when first used: those chunks are
// printed beside the row, and do not count against it. A `limit` is enforced: over it, the script
// exits 1. `absent` lists code that must not be in the row at all (checked by marker strings).
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const KiB = 1024;
const client = 'packages/stream-client/dist/index.js';
const react = 'packages/react/dist/index.js';
const reactRuntime = ['react', 'react-dom', 'react/jsx-runtime'];
/** Strings only the OpenAI, Anthropic and Responses decoders hold. */
const providerDecoders = ['input_json_delta', 'function_call_arguments.delta', 'reasoning_content'];

const rows = [
  {
    // Printed for information: an app never ships a whole entry, every export of it at once.
    name: '@sluice/stream-client, whole main entry',
    entry: client,
  },
  {
    name: '@sluice/stream-client, parseSSE and createSSEParser only',
    entry: client,
    imports: ['parseSSE', 'createSSEParser'],
    limit: 2 * KiB,
  },
  {
    // The anchor for the parser: its push parser plus the stream wrapper, as parseSSE is both.
    name: 'anchor: eventsource-parser, createParser and EventSourceParserStream',
    source:
      "export { createParser } from 'eventsource-parser'; export { EventSourceParserStream } from 'eventsource-parser/stream';",
  },
  {
    name: '@sluice/stream-client, streamText only (providers loaded when named)',
    entry: client,
    imports: ['streamText'],
    absent: providerDecoders,
  },
  {
    name: '@sluice/react, Chat with the client, without marked (an app on createChatHandler)',
    entry: react,
    imports: ['Chat'],
    external: [...reactRuntime, 'marked'],
    limit: 24 * KiB,
    absent: providerDecoders,
    showLazy: true,
  },
  {
    name: '@sluice/react, Chat with the client and marked',
    entry: react,
    imports: ['Chat'],
    external: reactRuntime,
    limit: 40 * KiB,
  },
  {
    // What an app adds to Chat with `plugins={[highlight()]}`. Shiki's core and engine are one chunk
    // loaded with the first code block; each grammar and theme is a chunk of its own, loaded with its
    // language's first block.
    name: '@sluice/react/highlight, beyond Chat (shiki loaded on first code block)',
    entry: 'packages/react/dist/highlight/index.js',
    external: reactRuntime,
    beyond: { entry: react, imports: ['Chat'] },
    showLazy: true,
  },
  {
    // The worker the plugin starts with the first code block: the app's bundler builds it as a file
    // of its own, and shiki runs there, off the main thread (which loads it only if the worker fails).
    name: '@sluice/react/highlight worker (shiki core and engine, loaded on first code block)',
    entry: 'packages/react/dist/highlight/highlightWorker.js',
  },
  {
    name: 'shiki grammar and themes for TypeScript (loaded with the first ts block)',
    source:
      "export { default as grammar } from 'shiki/langs/typescript.mjs'; export { default as light } from 'shiki/themes/github-light-default.mjs'; export { default as dark } from 'shiki/themes/github-dark-default.mjs';",
    resolveDir: 'packages/react',
  },
  {
    name: '@sluice/react, hooks and components (without marked and stream-client)',
    entry: react,
    external: [...reactRuntime, 'marked', '@sluice/stream-client'],
  },
  {
    // A plugin's own cost: what it adds to an app that already ships Chat (those modules are left
    // out), with its library, loaded when the first formula or diagram is finished, printed beside it
    // (a library's own lazy chunks, such as mermaid's diagram types, are not counted in that figure).
    name: '@sluice/react/math, beyond Chat (KaTeX loaded when first used)',
    entry: 'packages/react/dist/math/index.js',
    external: reactRuntime,
    beyond: { entry: react, imports: ['Chat'] },
    showLazy: true,
  },
  {
    name: '@sluice/react/mermaid, beyond Chat (mermaid loaded when first used)',
    entry: 'packages/react/dist/mermaid/index.js',
    external: reactRuntime,
    beyond: { entry: react, imports: ['Chat'] },
    showLazy: true,
  },
  {
    name: 'anchor: @ai-sdk/react useChat + streamdown',
    source: "export { useChat } from '@ai-sdk/react'; export { Streamdown } from 'streamdown';",
    external: reactRuntime,
    platform: 'browser',
  },
  {
    name: '@sluice/stream-client/server, whole',
    entry: 'packages/stream-client/dist/server/index.js',
  },
  {
    // Smooth pacing is opt-in: its cost is paid only by an app that imports it.
    name: '@sluice/stream-client/pacing, whole (TextPacer)',
    entry: 'packages/stream-client/dist/pacing/index.js',
  },
  {
    name: '@sluice/react/pacing, beyond Chat (usePacedText and pacing() with its TextPacer)',
    entry: 'packages/react/dist/pacing/index.js',
    external: reactRuntime,
    beyond: { entry: react, imports: ['Chat'] },
  },
];

/** The entry as esbuild should see it: the file itself, or a module that re-exports some of it or of an anchor. */
function entryOptions(row) {
  if (row.imports === undefined && row.source === undefined) return { entryPoints: [row.entry] };
  return {
    stdin: {
      contents: row.source ?? `export { ${row.imports.join(', ')} } from './${row.entry}';`,
      resolveDir: row.resolveDir ?? process.cwd(),
      loader: 'js',
    },
  };
}

/** A bare module name (a package), not a path. */
const isPackage = (path) => !path.startsWith('.') && !path.startsWith('/');

/**
 * Leaves each dynamic import() out of the bundle, recording what it loads (a file, or a package
 * by name), and leaves out the files in `shipped` (what the app ships already).
 */
function lazyChunks(found, shipped) {
  return {
    name: 'lazy-chunks',
    setup(plugin) {
      plugin.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === 'dynamic-import') {
          found.add(isPackage(args.path) ? args.path : new URL(args.path, `file://${args.resolveDir}/`).pathname);
          return { path: args.path, external: true };
        }
        if (shipped !== undefined && !isPackage(args.path) && shipped.has(resolve(args.resolveDir, args.path)))
          return { path: args.path, external: true };
        return undefined;
      });
    },
  };
}

async function bundle(options, found, shipped) {
  const result = await build({
    ...options,
    bundle: true,
    minify: true,
    format: 'esm',
    platform: options.platform ?? 'neutral',
    write: false,
    logLevel: 'silent',
    metafile: true,
    plugins: [lazyChunks(found, shipped)],
  });
  return { code: result.outputFiles[0].contents, inputs: Object.keys(result.metafile.inputs) };
}

/** The files (absolute paths) a row's bundle holds: what an app that ships it already has. */
async function shippedBy(row) {
  const { inputs } = await bundle({ ...entryOptions(row), external: reactRuntime }, new Set());
  return new Set(inputs.map((input) => resolve(input)));
}

function kibibytes(bytes) {
  return `${(bytes / KiB).toFixed(2)} KiB`;
}

let failed = false;
for (const row of rows) {
  const lazy = new Set();
  const { code } = await bundle(
    { ...entryOptions(row), external: row.external ?? [], ...(row.platform ? { platform: row.platform } : {}) },
    lazy,
    row.beyond === undefined ? undefined : await shippedBy(row.beyond),
  );
  const gzipped = gzipSync(code, { level: 9 }).length;
  const text = new TextDecoder().decode(code);
  const present = (row.absent ?? []).filter((marker) => text.includes(marker));
  const overLimit = row.limit !== undefined && gzipped > row.limit;
  failed ||= overLimit || present.length > 0;
  const notes = [row.limit === undefined ? 'reported' : `limit ${kibibytes(row.limit)}`];
  if (row.absent !== undefined)
    notes.push(present.length === 0 ? 'no provider decoder' : `HOLDS ${present.join(', ')}`);
  const mark = overLimit || present.length > 0 ? 'OVER' : 'ok  ';
  console.log(
    `${mark} ${row.name}: ${kibibytes(gzipped)} min+gzip (${gzipped} B; ${kibibytes(code.length)} min); ${notes.join(', ')}`,
  );
  if (row.showLazy === true && lazy.size > 0) {
    const chunks = [];
    /** Many modules of one folder (a highlighter's grammars), summed up as one line. */
    const families = new Map();
    for (const path of [...lazy].toSorted()) {
      // Each chunk with what it imports, some of which the row has already: an upper bound.
      const { code: chunk } = await bundle(
        isPackage(path)
          ? // A library is resolved from the package that loads it, as a browser bundle, the whole module kept.
            {
              stdin: {
                contents: `import * as module from '${path}'; export default module;`,
                resolveDir: 'packages/react',
                loader: 'js',
              },
              external: row.external ?? [],
              platform: 'browser',
            }
          : { entryPoints: [path], external: row.external ?? [] },
        new Set(),
      );
      const size = gzipSync(chunk, { level: 9 }).length;
      const folder = isPackage(path) && path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : undefined;
      if (folder !== undefined && [...lazy].filter((other) => other.startsWith(`${folder}/`)).length > 3) {
        families.set(folder, [...(families.get(folder) ?? []), size]);
        continue;
      }
      chunks.push(`${path.split('/').pop().replace(/\.js$/, '')} ${kibibytes(size)}`);
    }
    for (const [folder, sizes] of families) {
      const low = kibibytes(Math.min(...sizes));
      const high = kibibytes(Math.max(...sizes));
      chunks.push(`${folder}/* (${sizes.length} modules, each loaded with its first use) ${low} to ${high}`);
    }
    console.log(`       loaded when first used: ${chunks.join(', ')}`);
  }
}
if (failed) {
  console.error('A size limit was exceeded, or a row holds code it must not.');
  process.exit(1);
}
