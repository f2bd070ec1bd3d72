// No key yet: the same handler, with a stand-in for the provider that answers every message in
// OpenAI's format, a word every 40 ms. Swap it for the Express example above when you have a key.
import express from 'express';
import { createChatHandler } from '@sluice/stream-client/server';
import { mockResponse } from '@sluice/stream-client/testing';

const chat = createChatHandler({
  provider: 'openai',
  model: 'stand-in',
  apiKey: 'none',
  fetch: async (_url, init) =>
    mockResponse('Hello! I am a **stand-in** for a model. Set `OPENAI_API_KEY` to talk to a real one.', {
      delayMs: 40,
      signal: init?.signal ?? undefined, // Stop in the browser ends the stand-in's answer too
    }),
});

export const app: express.Express = express();
app.post('/api/chat', chat.node);

export const server = app.listen(Number(process.env.PORT ?? 3001));
