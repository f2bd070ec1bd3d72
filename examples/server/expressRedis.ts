// Express on several servers: replies kept in Redis, so any of them resumes, follows and stops a reply.
import express from 'express';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
import { createNodeFetch } from '@sluice/stream-client/node';
import { createRedisStore } from '@sluice/redis';

export const store = createRedisStore({ url: process.env.REDIS_URL }); // redis://127.0.0.1:6379 when unset

const chat = createChatHandler({
  provider: 'openai',
  model: 'gpt-4o-mini',
  streams: createResumableStreams({ store }),
  // Node's own HTTP client for the provider requests: less memory per open reply than fetch.
  fetch: createNodeFetch(),
});

export const app: express.Express = express();
app.post('/api/chat', chat.node);

export const server = app.listen(Number(process.env.PORT ?? 3001));
