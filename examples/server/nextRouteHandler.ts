// Next.js App Router: app/api/chat/route.ts
import { streamText } from '@sluice/stream-client';
import { relay, toSSEResponse } from '@sluice/stream-client/server';

const anthropic = process.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com/v1';

export async function POST(request: Request): Promise<Response> {
  const { messages } = (await request.json()) as { messages: unknown[] };
  return toSSEResponse(
    (signal) =>
      relay(
        streamText({
          url: `${anthropic}/messages`,
          headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY ?? '', 'anthropic-version': '2023-06-01' },
          body: { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, messages },
          provider: 'anthropic',
          signal,
        }),
      ),
    { signal: request.signal }, // the browser's disconnect aborts the upstream request
  );
}
