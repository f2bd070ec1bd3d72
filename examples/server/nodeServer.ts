// Node's own http server, for many replies open at once: the provider is asked through node:http.
import { createServer } from 'node:http';
import { createChatHandler, createResumableStreams } from '@sluice/stream-client/server';
import { createNodeFetch } from '@sluice/stream-client/node';

const chat = createChatHandler({
  provider: 'openai',
  model: 'gpt-4o-mini',
  streams: createResumableStreams(),
  fetch: createNodeFetch(),
});

export const server = createServer((request, response) => {
  if (request.method === 'POST' && request.url === '/api/chat') void chat.node(request, response);
  else response.writeHead(404).end();
}).listen(Number(process.env.PORT ?? 3001));
