// A stand-in for a model provider: an OpenAI-compatible Chat Completions endpoint on the demo's own
// server, so the chat handler calls it exactly as it would call OpenAI (request, wire format,
// retries). Markdown-rich answers with the timing of a real model: a pause before the first token,
// then 15 to 45 ms between tokens, now and then a longer think.
//
// Say "/fail" in a message and it answers 503 every time, so the handler's retries and the error
// the person sees can be tried out.

import { providerEvents, tokenize } from '@sluice/stream-client/testing';

const answers = [
  (question) => `## About "${question.slice(0, 60)}"

Streaming matters because **people read as the model writes**. A few things make it work:

1. The server sends *Server-Sent Events*, flushing each one at once.
2. The client parses them exactly as the standard says, across any chunk boundary.
3. The page renders markdown progressively, without re-rendering what is finished.

\`\`\`ts
const stream = streamText({ url: '/api/chat', body: { messages } });
stream.on('text', (delta) => console.log(delta));
\`\`\`

| Stage | Cost per token |
|---|---|
| parse | constant |
| render | constant |

> Press **Stop** at any moment: the server stops the model, and the text so far stays.`,
  (question) => `Here is a longer answer to "${question.slice(0, 60)}", so you can try scrolling up while it streams.

${Array.from(
  { length: 12 },
  (_, index) => `### Step ${index + 1}

Step ${index + 1} keeps the stream honest: every token once, in order, and _nothing lost_ when the
network drops. The list below shows what that means here:

- tokens so far stay visible on error;
- a resumed stream never repeats text.
`,
).join('\n')}`,
];

/** What the mock provider has been asked, for the demo's /api/stats. */
export const providerStats = { requests: 0, generations: 0, finished: 0, cancelled: 0 };

/** Answers one Chat Completions request on a Node request and response. */
export async function mockProvider(request, response) {
  providerStats.requests++;
  const chunks = [];
  for await (const chunk of request) chunks.push(chunk);
  const { messages = [] } = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
  const question = messages.findLast((message) => message.role === 'user')?.content ?? 'your question';
  if (question.includes('/fail')) {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ error: { message: 'The mock model is unavailable.', type: 'server_error' } }));
    return;
  }
  providerStats.generations++;
  // A chat's first question gets the shorter answer (a cut connection is best seen on it), the
  // next the longer one, and so on: the same on every server process.
  const questions = messages.filter((message) => message.role === 'user').length;
  const answer = question.includes('/drop') ? answers[0] : answers[(questions - 1 + answers.length) % answers.length];
  const tokens = tokenize(answer(question));
  const blocks = providerEvents('openai', {
    text: tokens,
    usage: { inputTokens: question.length, outputTokens: tokens.length },
  });
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  let closed = false;
  response.on('close', () => {
    closed = true;
    if (!response.writableFinished) providerStats.cancelled++;
  });
  for (const [index, block] of blocks.entries()) {
    // The role chunk, then the thinking pause before the first token, then a model's rhythm.
    await sleep(index === 1 ? 300 : index % 40 === 39 ? 250 : 15 + Math.random() * 30);
    if (closed) return;
    response.write(block);
  }
  providerStats.finished++;
  response.end();
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
