// Hono (Bun, Deno, Cloudflare Workers, Node): the same handler on a Web Request.
import { Hono } from 'hono';
import { createChatHandler } from '@sluice/stream-client/server';

const chat = createChatHandler({
  provider: 'openai',
  model: 'gpt-4o-mini',
  system: 'You are a helpful assistant.', // the server's own prompt, before the one the client sends
});

export const app = new Hono();
app.post('/api/chat', (context) => chat(context.req.raw));
