// Express: relay OpenAI to the browser as the sluice protocol.
import express from 'express';
import { streamText } from '@sluice/stream-client';
import { relay, writeSSE } from '@sluice/stream-client/server';

const openai = process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';

export const app: express.Express = express();
app.use(express.json());

app.post('/api/chat', (request, response) => {
  void writeSSE(response, (signal) =>
    relay(
      streamText({
        url: `${openai}/chat/completions`,
        headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
        body: {
          model: 'gpt-4o-mini',
          stream: true,
          stream_options: { include_usage: true },
          messages: request.body.messages,
        },
        provider: 'openai',
        signal, // aborted when the browser disconnects
      }),
    ),
  );
});
