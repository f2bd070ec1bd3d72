/** A long answer of the kind a model writes: prose, headings, lists, code, tables, quotes and links. */
export const sampleDocument = `# Streaming answers

Large language models write **one token at a time**, and a good interface shows each token as it
arrives. This answer mixes _every_ kind of block, so the renderer meets them all: \`inline code\`,
~~struck text~~, [a link](https://example.com/docs "Docs") and an autolink <https://example.com>.

## Steps

1. Open a connection with \`fetch\`.
2. Read the body as **Server-Sent Events**:
   - split lines on CR, LF or CRLF;
   - join \`data:\` lines with a line feed.
3. Render the text progressively.

- [x] Parse events
- [ ] Render markdown

Setext heading
--------------

\`\`\`ts
const response = await fetch('/api/chat', { method: 'POST' });

for await (const event of parseSSE(response.body!)) {
  console.log(event.data);
}
\`\`\`

| Provider  | Terminal signal    | Usage            |
|:----------|:------------------:|-----------------:|
| OpenAI    | \`[DONE]\`           | final chunk      |
| Anthropic | \`message_stop\`     | \`message_delta\`  |

> Streams fail halfway more often than you think.
> Keep what arrived, and say what happened.

A paragraph with a line break at its end  
and an escaped \\*star\\* and an entity &amp; and some <b>raw html</b>.

    indented code
    stays code

* * *

Final words with an image ![diagram](/images/flow.png) and a last **strong** sentence.
`;
