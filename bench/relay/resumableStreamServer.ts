// The same server on Vercel's resumable-stream, for comparison on the same Redis: the provider's
// answer relayed as the sluice protocol (the same work as the Sluice server, without its store),
// wrapped in a resumable stream. A reconnection names the stream (x-stream-id) and how many
// characters it has (x-resume-at), as resumable-stream's API asks.
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { createResumableStreamContext } from 'resumable-stream';
import { streamText } from '@sluice/stream-client';
import { formatServerSentEvent, relay } from '@sluice/stream-client/server';
import { serverStats } from './serverStats.js';

const context = createResumableStreamContext({ waitUntil: null });
const providerUrl = process.env['PROVIDER_URL']!;

/** The reply as a stream of event-stream text. */
function reply(messages: unknown): ReadableStream<string> {
  const events = relay(
    streamText({
      url: `${providerUrl}/chat/completions`,
      headers: { authorization: 'Bearer bench-key' },
      body: { model: 'bench', stream: true, stream_options: { include_usage: true }, messages },
      provider: 'openai',
      retry: false,
    }),
  );
  return new ReadableStream<string>({
    async pull(controller) {
      const next = await events.next();
      if (next.done === true) controller.close();
      else controller.enqueue(formatServerSentEvent(next.value));
    },
    async cancel() {
      await events.return?.();
    },
  });
}

const stats = serverStats();
const server = createServer(async (request, response) => {
  if (stats(request, response)) return;
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const resumeId = request.headers['x-stream-id'];
  let streamId: string;
  let stream: ReadableStream<string> | null | undefined;
  if (typeof resumeId === 'string') {
    streamId = resumeId;
    stream = await context.resumeExistingStream(resumeId, Number(request.headers['x-resume-at'] ?? 0));
  } else {
    streamId = randomUUID();
    const { messages } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { messages: unknown };
    stream = await context.createNewResumableStream(streamId, () => reply(messages));
  }
  if (stream === null || stream === undefined) {
    response.writeHead(422).end();
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    'x-stream-id': streamId,
  });
  response.flushHeaders();
  const reader = stream.getReader();
  response.on('close', () => void reader.cancel().catch(() => {}));
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (!response.write(value)) await new Promise((resolve) => response.once('drain', resolve));
    }
  } catch {
    // The client went away.
  }
  response.end();
});
// A deep accept queue, as a server meant for thousands of connections is configured.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address() as { port: number };
  console.log(`listening ${address.port}`);
});
// Exits at once (with --cpu-prof, writing the profile).
process.on('SIGTERM', () => process.exit(0));
