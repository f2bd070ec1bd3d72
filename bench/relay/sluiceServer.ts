// One Sluice server process for the relay benchmark: createChatHandler in front of the mock
// provider at PROVIDER_URL (asked through createNodeFetch), keeping replies in memory, or in Redis when REDIS_URL is set.
import { createServer } from 'node:http';
import { createChatHandler, createMemoryStore, createResumableStreams } from '@sluice/stream-client/server';
import { createNodeFetch } from '@sluice/stream-client/node';
import { createRedisStore } from '@sluice/redis';
import { serverStats } from './serverStats.js';

const redisUrl = process.env['REDIS_URL'];
const store = redisUrl === undefined ? createMemoryStore() : createRedisStore({ url: redisUrl });
if (redisUrl !== undefined) await (store as ReturnType<typeof createRedisStore>).ready();
const chat = createChatHandler({
  provider: 'openai',
  model: 'bench',
  apiKey: 'bench-key',
  baseURL: process.env['PROVIDER_URL']!,
  retry: false,
  // As the README recommends for a Node server; BUILTIN_FETCH measures Node's built-in fetch instead.
  ...(process.env['BUILTIN_FETCH'] ? {} : { fetch: createNodeFetch() }),
  streams: createResumableStreams({ store }),
  onError: (error) => console.error('bench server:', error),
});
const stats = serverStats();
const server = createServer((request, response) => {
  if (!stats(request, response)) void chat.node(request, response);
});
// A deep accept queue, as a server meant for thousands of connections is configured.
server.listen({ port: 0, host: '127.0.0.1', backlog: 4096 }, () => {
  const address = server.address() as { port: number };
  console.log(`listening ${address.port}`);
});
// Exits at once (with --cpu-prof, writing the profile).
process.on('SIGTERM', () => process.exit(0));
