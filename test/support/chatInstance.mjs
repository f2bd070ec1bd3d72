// One server process of a deployment, as the tests spawn it: createChatHandler over a Redis store,
// calling the mock provider at PROVIDER_URL. It runs the built packages, as an app would.
import { createServer } from 'node:http';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
import { createRedisStore } from '@sluice/redis';

const store = createRedisStore({
  url: process.env.REDIS_URL,
  leaseMs: Number(process.env.LEASE_MS ?? 3000),
  onError: () => {},
});
const chat = createChatHandler({
  provider: 'openai',
  model: 'mock',
  apiKey: 'test-key',
  baseURL: process.env.PROVIDER_URL,
  streams: createResumableStreams({ store }),
  onError: () => {},
});
const server = createServer((request, response) => void chat.node(request, response));
// Listening only once Redis is connected: a process that said it was up before would answer its
// first requests with 503 unavailable, which a deploy's readiness check exists to prevent.
await store.ready();
server.listen(0, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
process.on('SIGTERM', () => {
  server.close();
  void store.close().then(() => process.exit(0));
});
