// Express: the endpoint that <Chat url="/api/chat" /> and useChat talk to.
import express from 'express';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';

const chat = createChatHandler({
  provider: 'openai', // the key comes from OPENAI_API_KEY; OPENAI_BASE_URL points it at any compatible server
  model: 'gpt-4o-mini',
  streams: createResumableStreams(), // a dropped connection resumes the same reply
});

export const app: express.Express = express();
app.post('/api/chat', chat.node);

export const server = app.listen(Number(process.env.PORT ?? 3001));
