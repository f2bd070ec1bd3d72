// Next.js App Router: app/api/chat/route.ts
import { createChatHandler } from '@sluice/stream-client/server';

// The key comes from ANTHROPIC_API_KEY.
export const POST = createChatHandler({ provider: 'anthropic', model: 'claude-sonnet-4-5' });
