/**
 * A long answer of the kind models write (prose, lists, code fences, tables, quotes), about 32,000
 * characters, built from varied sections so no two blocks are alike.
 */
export function longAnswer(length = 32_000): string {
  const sections: string[] = [];
  for (let index = 0; sections.join('').length < length; index++) {
    sections.push(`## Part ${index + 1}: handling stream number ${index * 7 + 3}

When a stream carries **${index + 2} events per second**, the client must keep up without
re-rendering everything. Section ${index + 1} covers _why_ that matters, with \`code\` and a
[reference link](https://example.com/part/${index + 1}).

1. Open the connection (attempt ${index + 1}).
2. Parse the events:
   - data lines joined with LF;
   - comments ignored, like \`: keep-alive ${index}\`.
3. Render only what changed.

\`\`\`ts
export function handle${index}(event: ServerSentEvent): number {
  const value = JSON.parse(event.data) as { count: number };

  return value.count * ${index + 1};
}
\`\`\`

| Metric ${index} | Before | After |
|-----------|-------:|------:|
| latency   | ${120 + index} ms | ${12 + (index % 9)} ms |
| renders   | ${400 + index * 3} | ${20 + index} |

> Keep what arrived (case ${index}), and say what happened.

`);
  }
  return sections.join('');
}
