// Hono (Bun, Deno, Cloudflare Workers, Node): relay the OpenAI Responses API.
import { Hono } from 'hono';
import { streamText } from '@sluice/stream-client';
import { relay, toSSEResponse } from '@sluice/stream-client/server';

const openai = process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';

export const app = new Hono();

app.post('/api/chat', async (context) => {
  const { input } = await context.req.json<{ input: unknown[] }>();
  return toSSEResponse(
    (signal) =>
      relay(
        streamText({
          url: `${openai}/responses`,
          headers: { authorization: `Bearer ${process.env.OPENAI_API_KEY}` },
          body: { model: 'gpt-4.1-mini', stream: true, input },
          provider: 'openai-responses',
          signal,
        }),
      ),
    { signal: context.req.raw.signal },
  );
});
