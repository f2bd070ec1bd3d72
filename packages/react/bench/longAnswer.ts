/**
 * A long answer of the kind models write, built from varied sections so no two blocks are alike:
 * headings, long paragraphs, nested lists, long fenced code blocks, wide tables and quotes.
 */
export function longAnswer(length = 32_000): string {
  const sections: string[] = [];
  let total = 0;
  for (let index = 0; total < length; index++) {
    const section = `## Part ${index + 1}: handling stream number ${index * 7 + 3}

When a stream carries **${index + 2} events per second**, the client must keep up without
re-rendering everything. Section ${index + 1} covers _why_ that matters, with \`code\` and a
[reference link](https://example.com/part/${index + 1}). ${paragraph(index)}

1. Open the connection (attempt ${index + 1}).
2. Parse the events:
   - data lines joined with LF;
     - a trailing CR dropped, case ${index};
     - an empty line dispatching the event;
   - comments ignored, like \`: keep-alive ${index}\`.
3. Render only what changed.

${codeBlock(index, 12 + (index % 3) * 14)}

${index % 2 === 0 ? wideTable(index) : narrowTable(index)}

> Keep what arrived (case ${index}), and say what happened.

`;
    sections.push(section);
    total += section.length;
  }
  return sections.join('');
}

/** A paragraph of about `length` characters in one line, as models write them. */
export function paragraph(seed: number, length = 600): string {
  const words = ['the', 'stream', 'renders', 'each', 'block', 'once', 'settled', 'while', 'its', 'tail', 'grows'];
  const parts: string[] = [];
  for (let index = 0, size = 0; size < length; index++) {
    const word = words[(index * 7 + seed) % words.length]!;
    const next = index % 13 === 12 ? `**${word}**.` : index % 17 === 16 ? `\`${word}\`,` : word;
    parts.push(next);
    size += next.length + 1;
  }
  return parts.join(' ');
}

/** A fenced TypeScript block of `lines` lines. */
export function codeBlock(seed: number, lines: number): string {
  const body: string[] = [];
  for (let line = 0; line < lines; line++) {
    body.push(
      line % 4 === 0
        ? `export function handle${seed}_${line}(event: ServerSentEvent): number {`
        : line % 4 === 3
          ? '}'
          : `  const value${line} = JSON.parse(event.data).count * ${seed + line}; // line ${line}`,
    );
  }
  return `\`\`\`ts\n${body.join('\n')}\n\`\`\``;
}

function wideTable(seed: number): string {
  const header = '| Provider | Transport | Framing | Resumes with | Latency p50 | Latency p99 | Cost per 1k |';
  const rule = '|---|---|---|---:|---:|---:|---:|';
  const rows = Array.from(
    { length: 6 },
    (_, row) =>
      `| provider-${seed}-${row} | Server-Sent Events | text/event-stream | Last-Event-ID | ${100 + row} ms | ${400 + seed} ms | $0.00${row + 1} |`,
  );
  return [header, rule, ...rows].join('\n');
}

function narrowTable(seed: number): string {
  return `| Metric ${seed} | Before | After |
|-----------|-------:|------:|
| latency   | ${120 + seed} ms | ${12 + (seed % 9)} ms |
| renders   | ${400 + seed * 3} | ${20 + seed} |`;
}
