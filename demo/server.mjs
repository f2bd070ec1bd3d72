// The demo: a Vite app with the Chat component, and a Node relay built on
// @sluice/stream-client/server. With no API key the relay streams from a mock model; with
// OPENAI_API_KEY or ANTHROPIC_API_KEY set it relays the real provider.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { buildChatRequestBody, streamText } from '@sluice/stream-client';
import { relay, writeSSE } from '@sluice/stream-client/server';
import { createServer as createViteServer } from 'vite';
import { mockModel } from './mockModel.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const stats = { requests: 0, completed: 0, disconnects: 0 };

/** Where the answer comes from: a real provider when a key is set, else the mock model. */
function upstream(conversation, signal) {
  if (process.env.OPENAI_API_KEY) {
    return streamText({
      url: 'https://api.openai.com/v1/chat/completions',
      headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
      body: buildChatRequestBody(
        {
          ...conversation,
          body: {
            model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini',
            stream: true,
            stream_options: { include_usage: true },
          },
        },
        'openai',
      ),
      provider: 'openai',
      signal,
    });
  }
  if (process.env.ANTHROPIC_API_KEY) {
    return streamText({
      url: 'https://api.anthropic.com/v1/messages',
      headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY, 'anthropic-version': '2023-06-01' },
      body: buildChatRequestBody(
        {
          ...conversation,
          body: { model: process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5', max_tokens: 2048, stream: true },
        },
        'anthropic',
      ),
      provider: 'anthropic',
      signal,
    });
  }
  return mockModel(conversation.messages, signal);
}

async function readJson(request) {
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  return JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
}

const vite = await createViteServer({
  root,
  configFile: false,
  appType: 'spa',
  logLevel: 'warn',
  server: { middlewareMode: true, hmr: false },
  resolve: { conditions: ['@sluice/source', 'module', 'browser', 'development|production'] },
  optimizeDeps: { include: ['react', 'react-dom/client', 'react/jsx-dev-runtime', '@sluice/react > marked'] },
});

const server = createServer(async (request, response) => {
  if (request.url === '/api/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
    return;
  }
  if (request.url === '/api/chat' && request.method === 'POST') {
    stats.requests++;
    const { system, messages = [] } = await readJson(request);
    response.on('close', () => {
      if (response.writableFinished) stats.completed++;
      else {
        stats.disconnects++;
        console.log('relay: the browser disconnected; the upstream request was aborted');
      }
    });
    await writeSSE(response, (signal) => relay(upstream({ system, messages }, signal)));
    return;
  }
  vite.middlewares(request, response);
});

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const mode = process.env.OPENAI_API_KEY ? 'OpenAI' : process.env.ANTHROPIC_API_KEY ? 'Anthropic' : 'the mock model';
  console.log(`Sluice demo on http://127.0.0.1:${address.port}/ (answers from ${mode})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    void vite.close().then(() => process.exit(0));
  });
}
