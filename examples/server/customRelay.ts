// A server of your own, from the pieces: relay Anthropic, keep replies so clients can resume.
import { streamText } from '@sluice/stream-client';
import { createResumableStreams, relay, toSSEResponse } from '@sluice/stream-client/server';

const anthropic = process.env.ANTHROPIC_BASE_URL ?? 'https://api.anthropic.com';
const streams = createResumableStreams({ graceMs: 10_000, keepMs: 60_000 });

export async function POST(request: Request): Promise<Response> {
  const lastEventId = request.headers.get('last-event-id');
  // A reconnection continues the reply its id names, after the last event the client has.
  if (lastEventId) return toSSEResponse(streams.resume(lastEventId), { signal: request.signal });
  const { system, messages } = (await request.json()) as { system?: string; messages: unknown[] };
  // Rejects with a ReplyStoreError, before the provider is asked, when the store cannot keep the reply.
  const reply = await streams.start((signal, streamId) =>
    relay(
      streamText({
        url: `${anthropic}/v1/messages`,
        headers: { 'x-api-key': process.env.ANTHROPIC_API_KEY ?? '', 'anthropic-version': '2023-06-01' },
        body: { model: 'claude-sonnet-4-5', max_tokens: 1024, stream: true, system, messages },
        provider: 'anthropic',
        signal,
      }),
      { streamId },
    ),
  );
  return toSSEResponse(reply, { signal: request.signal });
}
