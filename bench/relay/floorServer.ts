// Floors for the relay benchmark, with no store at all, so the figures of the stores can be read
// against what the machine itself allows: FLOOR=pipe copies the provider's bytes to the client
// (no parsing, the least a relay can do); FLOOR=relay reads and relays them as the sluice protocol
// exactly as the chat handler does (streamText, relay, writeSSE), but keeps nothing.
import { createServer, request as requestUpstream } from 'node:http';
import { streamText } from '@sluice/stream-client';
import { relay, writeSSE } from '@sluice/stream-client/server';
import { createNodeFetch } from '@sluice/stream-client/node';
import { serverStats } from './serverStats.js';

const providerUrl = process.env['PROVIDER_URL']!;
const mode = process.env['FLOOR'];
// BUILTIN_FETCH: the relay asks the provider with Node's built-in fetch, not createNodeFetch.
const builtinFetch = Boolean(process.env['BUILTIN_FETCH']);
const nodeFetch = createNodeFetch();

const stats = serverStats();
const server = createServer(async (request, response) => {
  if (stats(request, response)) return;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: unknown };
  const body = { model: 'bench', stream: true, stream_options: { include_usage: true }, messages };
  const controller = new AbortController();
  response.on('close', () => controller.abort());
  if (mode === 'relay') {
    const parts = streamText({
      url: `${providerUrl}/chat/completions`,
      headers: { authorization: 'Bearer bench-key' },
      body,
      provider: 'openai',
      retry: false,
      signal: controller.signal,
      ...(builtinFetch ? {} : { fetch: nodeFetch }),
    });
    await writeSSE(response, relay(parts));
    return;
  }
  // The least a relay can do: Node's own HTTP client, the provider's bytes piped to the client.
  const upstream = requestUpstream(`${providerUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer bench-key', 'content-type': 'application/json' },
  });
  upstream.once('response', (incoming) => {
    response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    incoming.pipe(response);
  });
  // The client went away, or the provider did.
  upstream.once('error', () => response.end());
  response.once('close', () => upstream.destroy());
  upstream.end(JSON.stringify(body));
});
// A deep accept queue, as a server meant for thousands of connections is configured.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address() as { port: number };
  console.log(`listening ${address.port}`);
});
// Exits at once (with --cpu-prof, writing the profile).
process.on('SIGTERM', () => process.exit(0));
