// A stand-in model for the demo: markdown-rich answers with the timing of a real one (a pause
// before the first token, then 15 to 45 ms between tokens, now and then a longer think).

import { tokenize } from '@sluice/stream-client/testing';

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

> Press **Stop** at any moment: the relay sees the disconnect and stops the model.`,
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

let turn = 0;

/** Streams an answer to the last user message as Sluice parts, with a model's timing. */
export async function* mockModel(messages, signal) {
  const question = messages.toReversed().find((message) => message.role === 'user')?.content ?? 'your question';
  const text = answers[turn++ % answers.length](question);
  const tokens = tokenize(text);
  yield { type: 'start', id: `mock-${Date.now()}`, model: 'sluice-mock' };
  await sleep(300, signal);
  for (const [index, token] of tokens.entries()) {
    if (signal.aborted) return;
    yield { type: 'text-delta', text: token };
    await sleep(index % 40 === 39 ? 250 : 15 + Math.random() * 30, signal);
  }
  yield { type: 'finish', finishReason: 'stop', rawFinishReason: 'stop' };
  yield { type: 'usage', usage: { inputTokens: question.length, outputTokens: tokens.length } };
}

function sleep(milliseconds, signal) {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, milliseconds);
    signal.addEventListener('abort', done, { once: true });
  });
}
