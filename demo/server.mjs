// The demo: a Vite app with the Chat component, and a Node server whose /api/chat is
// createChatHandler from @sluice/stream-client/server. With no API key it calls the mock provider
// on this same server, exactly as it would call OpenAI; with OPENAI_API_KEY or ANTHROPIC_API_KEY
// set it calls the real provider.
//
// Try the faults from the chat itself: "/drop" cuts your connection mid-answer (it resumes);
// "/fail" makes the mock provider answer 503 (the server retries, then you see why). Reload the
// page mid-answer, or open it in a second tab: the answer goes on there. With REDIS_URL set,
// replies and chats are kept in Redis, so several demo servers behind one address share them.
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { createChatHandler, createMemoryStore, createResumableStreams } from '@sluice/stream-client/server';
import { createRedisStore } from '@sluice/redis';
import { createServer as createViteServer } from 'vite';
import { createChatHistory } from './chatHistory.mjs';
import { mockProvider, providerStats } from './mockProvider.mjs';

const root = fileURLToPath(new URL('.', import.meta.url));
const port = Number(process.env.PORT ?? 5173);
const redisUrl = process.env.REDIS_URL;
const history = createChatHistory(redisUrl);
const stats = {
  requests: 0,
  resumes: 0,
  follows: 0,
  stops: 0,
  replies: { done: 0, failed: 0, stopped: 0 },
  provider: providerStats,
};

/** Where the answer comes from: a real provider when a key is set, else the mock one on this server. */
function providerOptions(origin) {
  if (process.env.OPENAI_API_KEY) {
    return { provider: 'openai', model: process.env.OPENAI_MODEL ?? 'gpt-4o-mini' };
  }
  if (process.env.ANTHROPIC_API_KEY) {
    return { provider: 'anthropic', model: process.env.ANTHROPIC_MODEL ?? 'claude-sonnet-4-5', maxTokens: 2048 };
  }
  return { provider: 'openai', model: 'sluice-mock', apiKey: 'mock-key', baseURL: `${origin}/mock-provider/v1` };
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

let chat;

const server = createServer(async (request, response) => {
  if (request.url === '/api/stats') {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(stats));
    return;
  }
  if (request.url === '/mock-provider/v1/chat/completions' && request.method === 'POST') {
    await mockProvider(request, response);
    return;
  }
  const chatPath = /^\/api\/chats\/([^/?]+)$/.exec(request.url ?? '');
  if (chatPath && request.method === 'GET') {
    const messages = await history.load(decodeURIComponent(chatPath[1]));
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(messages));
    return;
  }
  if (request.url === '/api/chat') {
    if (request.headers['sluice-stop']) {
      stats.stops++;
      console.log('chat: the person pressed Stop; the server stops the reply');
    } else if (request.headers['last-event-id']) {
      stats.resumes++;
      console.log(`chat: a reconnection resumes after event ${request.headers['last-event-id']}`);
    } else if (request.headers['sluice-resume']) {
      stats.follows++;
      console.log('chat: a page opened the chat and follows its live reply, if it has one');
    } else if (request.method === 'POST') {
      stats.requests++;
      // Read the body here (as express.json() would) to see whether the person asked for a fault.
      const chunks = [];
      for await (const chunk of request) chunks.push(chunk);
      const text = Buffer.concat(chunks).toString('utf8');
      request.body = text;
      if (text.includes('/drop')) {
        console.log('chat: cutting the connection mid-answer, as a flaky network would');
        setTimeout(() => response.socket?.destroy(), 1500);
      }
    }
    await chat.node(request, response);
    return;
  }
  vite.middlewares(request, response);
});

// Replies are kept so a dropped connection resumes, a reloaded page or a second tab follows the
// live one, and Stop ends one at once. A reply nobody is reading runs on for the stores' default
// 10 s, time for a reloaded page to come back to it on a slow machine, then stops.
const store = redisUrl ? createRedisStore({ url: redisUrl }) : createMemoryStore();
// The server listens once Redis is connected: the store queues no command while it is not, so a
// chat sent before then would be answered 503 unavailable.
if (redisUrl) {
  console.log(`demo: connecting to Redis at ${redisUrl}`);
  await store.ready();
}

server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const origin = `http://127.0.0.1:${address.port}`;
  const options = providerOptions(origin);
  chat = createChatHandler({
    ...options,
    system: 'You are the Sluice demo assistant. Answer in markdown.',
    streams: createResumableStreams({ store }),
    // The conversation is saved when a message arrives, and the reply when it ends: a page that is
    // reloaded loads both, and follows the reply if it is still streaming.
    prepareRequest: async (request, { chatId }) => {
      if (chatId) await history.save(chatId, request.messages);
      return request;
    },
    onFinish: async ({ status, result, streamId, chat: answered, context }) => {
      stats.replies[status]++;
      console.log(`chat: a reply ${status === 'done' ? 'finished' : status}`);
      if (!context.chatId) return;
      // Saved with its stream id: this runs before the store stops naming the reply as the chat's
      // live one, and a page loaded in between must recognise the reply it is offered to follow
      // as the one it already has, not show it twice.
      const reply = {
        role: 'assistant',
        content: result.text,
        status: status === 'failed' ? 'failed' : status,
        streamId,
      };
      await history.save(context.chatId, [...answered.messages, reply]);
    },
  });
  const mode = process.env.OPENAI_API_KEY
    ? 'OpenAI'
    : process.env.ANTHROPIC_API_KEY
      ? 'Anthropic'
      : 'the mock provider';
  console.log(`Sluice demo on ${origin}/ (answers from ${mode})`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    server.close();
    void vite.close().then(() => process.exit(0));
  });
}
