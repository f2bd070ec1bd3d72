// Next.js App Router on the edge runtime: app/api/chat/route.ts
import { createChatHandler } from '@sluice/stream-client/server';

export const runtime = 'edge';

// The key comes from OPENAI_API_KEY.
export const POST = createChatHandler({ provider: 'openai-responses', model: 'gpt-4.1-mini' });
