/*
 * The packages as users get them: built output imported by plain Node through each package's
 * `exports` map (no test-only resolution), the way an app that installed them would.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module snippet in a fresh Node process from the repository root, returning what it prints. */
async function node(source: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', source], { cwd: root });
  return stdout.trim();
}

describe('@sluice/stream-client as built', () => {
  it('parses a stream through its package entry in plain Node', async () => {
    const output = await node(`
      import { parseSSE } from '@sluice/stream-client';
      const body = new Blob(['id: 7\\r\\nevent: greeting\\r\\ndata: hi\\r\\n\\r\\n']).stream();
      const events = [];
      for await (const event of parseSSE(body)) events.push(event);
      console.log(JSON.stringify(events));
    `);
    expect(JSON.parse(output)).toEqual([{ type: 'greeting', data: 'hi', lastEventId: '7' }]);
  });

  it('serves its server and testing subpaths from the build', async () => {
    const output = await node(`
      import { streamText } from '@sluice/stream-client';
      import { relay, toSSEResponse } from '@sluice/stream-client/server';
      import { mockStream } from '@sluice/stream-client/testing';
      const upstream = streamText({
        url: 'http://model.invalid/',
        fetch: async () => new Response(mockStream('Built and relayed.', { provider: 'anthropic' }), {
          headers: { 'content-type': 'text/event-stream' },
        }),
      });
      const relayed = toSSEResponse(relay(upstream), { heartbeatMs: 0 });
      const client = streamText({ url: 'http://relay.invalid/', fetch: async () => relayed });
      console.log((await client.result()).text);
    `);
    expect(output).toBe('Built and relayed.');
  });

  it('serves createNodeFetch from its node subpath', async () => {
    const output = await node(`
      import { createServer } from 'node:http';
      import { createNodeFetch } from '@sluice/stream-client/node';
      const server = createServer((request, response) => response.end('asked with ' + request.method));
      await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
      const response = await createNodeFetch()('http://127.0.0.1:' + server.address().port + '/', { method: 'POST' });
      console.log(await response.text());
      server.close();
    `);
    expect(output).toBe('asked with POST');
  });

  it('ships ESM with type declarations and source maps for every module it exports', async () => {
    const manifest = JSON.parse(await readFile(`${root}/packages/stream-client/package.json`, 'utf8'));
    expect(manifest.type).toBe('module');
    expect(manifest.dependencies ?? {}).toEqual({});
    const entry = manifest.exports['.'];
    expect(Object.keys(entry)[0]).toBe('types');
    const declarations = await readFile(`${root}/packages/stream-client/${entry.types}`, 'utf8');
    expect(declarations).toMatch(/export \{ parseSSE \}/);
    expect(declarations).toMatch(/export \{ createSSEParser, DEFAULT_MAX_EVENT_BYTES \}/);
    await expect(readFile(`${root}/packages/stream-client/dist/sse/parseSSE.js.map`, 'utf8')).resolves.toContain(
      'parseSSE.ts',
    );
  });

  it('keeps Node-only and DOM-only APIs out of every entry but /node, which no other imports', async () => {
    const output = await node(`
      import { readdir, readFile } from 'node:fs/promises';
      const directory = 'packages/stream-client/dist';
      const files = (await readdir(directory, { recursive: true })).filter(
        (file) => file.endsWith('.js') && !file.startsWith('node/'),
      );
      const offenders = [];
      for (const file of files) {
        // Code only: examples in doc comments may well mention process or document.
        const code = (await readFile(directory + '/' + file, 'utf8')).replace(/\\/\\*[\\s\\S]*?\\*\\/|\\/\\/.*$/gm, '');
        // Names outside strings: a provider's content type may well be called 'document'.
        const names = code.replace(/'(?:[^'\\\\\\n]|\\\\.)*'|"(?:[^"\\\\\\n]|\\\\.)*"/g, "''");
        if (/from ['"]node:|from ['"][.\\/]*node\\/|require\\(/.test(code) || /\\bprocess\\.|\\bBuffer\\b|\\bdocument\\b|\\bwindow\\b/.test(names)) {
          offenders.push(file);
        }
      }
      console.log(JSON.stringify({ files: files.length, offenders }));
    `);
    const { files, offenders } = JSON.parse(output);
    expect(files).toBeGreaterThan(0);
    expect(offenders).toEqual([]);
  });
});

describe('@sluice/react as built', () => {
  it('imports in plain Node with the client-component directive kept first', async () => {
    const entry = await readFile(`${root}/packages/react/dist/index.js`, 'utf8');
    expect(entry.trimStart().startsWith("'use client';")).toBe(true);
    await expect(node(`import('@sluice/react').then(() => console.log('ok'))`)).resolves.toBe('ok');
  });
});

describe('the built declarations in an app’s own TypeScript setup', { timeout: 60_000 }, () => {
  const program = `
    import { streamText, type StreamTextOptions } from '@sluice/stream-client';
    import { createChatHandler, type ChatHandler } from '@sluice/stream-client/server';
    import { mockResponse } from '@sluice/stream-client/testing';
    const options: StreamTextOptions = { url: '/api/chat', headers: { authorization: 'Bearer x' } };
    export const stream = streamText(options);
    export const handler: ChatHandler = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini' });
    export const response: Response = mockResponse('Hi');
  `;

  /** Type-checks the program against the built packages with `lib` and `types` as given, libraries checked too. */
  async function typeCheck(compilerOptions: Record<string, unknown>, source = program): Promise<string> {
    const directory = await mkdtemp(`${root}/test/.declarations-`);
    try {
      await writeFile(`${directory}/index.ts`, source);
      await writeFile(
        `${directory}/tsconfig.json`,
        JSON.stringify({
          compilerOptions: {
            strict: true,
            module: 'NodeNext',
            moduleResolution: 'NodeNext',
            target: 'ES2022',
            noEmit: true,
            skipLibCheck: false,
            noUncheckedSideEffectImports: true,
            ...compilerOptions,
          },
          files: ['index.ts'],
        }),
      );
      const tsc = `${root}/node_modules/typescript/bin/tsc`;
      return await run(process.execPath, [tsc, '-p', directory], { cwd: directory }).then(
        () => '',
        (error: { stdout?: string }) => error.stdout ?? String(error),
      );
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  }

  it('type-check in a Node-only project, with no DOM library', async () => {
    expect(await typeCheck({ lib: ['ES2023'], types: ['node'] })).toBe('');
  });

  it('type-check in a browser project, with no Node types', async () => {
    expect(await typeCheck({ lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [] })).toBe('');
  });

  it('give the stylesheet import a type, so a strict project without bundler types accepts it', async () => {
    const source = `import '@sluice/react/styles.css';\nimport { Chat } from '@sluice/react';\nexport { Chat };\n`;
    expect(await typeCheck({ lib: ['ES2023', 'DOM', 'DOM.Iterable'], types: [], jsx: 'react-jsx' }, source)).toBe('');
  });
});
