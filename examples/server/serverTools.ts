// Tools that run on the server, beside the handler: app/api/chat/route.ts
import { createChatHandler, tool } from '@sluice/stream-client/server';

const orders = new Map([['A-1042', { status: 'shipped', eta: 'Thursday' }]]);

const orderStatus = tool<{ orderId: string }>({
  description: 'The status of one of the customer’s orders.',
  parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
  execute: ({ orderId }, { data }) => {
    data('progress', { stage: `Looking up ${orderId}` }, orderId);
    return orders.get(orderId) ?? { error: `There is no order ${orderId}.` };
  },
});

// The key comes from OPENAI_API_KEY. The reply streams the call, its result, and the answer.
export const POST = createChatHandler({ provider: 'openai', model: 'gpt-4o-mini', tools: { orderStatus } });
