/*
 * Event streams shaped like the providers' own, made deterministically so every run measures the
 * same bytes.
 */

/** A small deterministic pseudo-random generator (mulberry32), so chunk boundaries repeat run to run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

const words = [
  'stream',
  'token',
  ' the',
  ' model',
  ' answer',
  ' is',
  ' ready',
  '.',
  '\n\n',
  ' “quoted”',
  ' naïve',
  ' 😀',
  ' code',
  '`',
  ' a',
  ' of',
];

/** Pieces of text like an LLM's deltas: short, mostly ASCII, with some multi-byte characters. */
function deltas(count: number, random: () => number): string[] {
  return Array.from({ length: count }, () => words[Math.floor(random() * words.length)]!);
}

/** An OpenAI Chat Completions stream: one `data:` JSON chunk per delta, LF endings, usage and `[DONE]`. */
export function openAIStream(tokenCount: number): Uint8Array {
  const random = seededRandom(1);
  const head = {
    id: 'chatcmpl-B9MHDbslfkBeAs8l4bebGdFOJ6PeG',
    object: 'chat.completion.chunk',
    created: 1741570283,
    model: 'gpt-4o-2024-08-06',
    service_tier: 'default',
    system_fingerprint: 'fp_eb9dce56a8',
  };
  const lines = [
    `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { role: 'assistant', content: '', refusal: null }, logprobs: null, finish_reason: null }], usage: null })}\n\n`,
  ];
  for (const content of deltas(tokenCount, random)) {
    lines.push(
      `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: { content }, logprobs: null, finish_reason: null }], usage: null })}\n\n`,
    );
  }
  lines.push(
    `data: ${JSON.stringify({ ...head, choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }], usage: null })}\n\n`,
  );
  lines.push(
    `data: ${JSON.stringify({ ...head, choices: [], usage: { prompt_tokens: 19, completion_tokens: tokenCount, total_tokens: tokenCount + 19 } })}\n\n`,
  );
  lines.push('data: [DONE]\n\n');
  return new TextEncoder().encode(lines.join(''));
}

/** An Anthropic Messages stream: `event:` and `data:` lines with CRLF endings, and pings now and then. */
export function anthropicStream(tokenCount: number): Uint8Array {
  const random = seededRandom(2);
  const event = (type: string, data: unknown) => `event: ${type}\r\ndata: ${JSON.stringify(data)}\r\n\r\n`;
  const parts = [
    event('message_start', {
      type: 'message_start',
      message: {
        id: 'msg_01XFDUDYJgAACzvnptvVoYEL',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-sonnet-4-5',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    }),
    event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ];
  deltas(tokenCount, random).forEach((text, index) => {
    if (index % 50 === 0) parts.push(event('ping', { type: 'ping' }));
    parts.push(
      event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text } }),
    );
  });
  parts.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  parts.push(
    event('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: 'end_turn', stop_sequence: null },
      usage: { output_tokens: tokenCount },
    }),
  );
  parts.push(event('message_stop', { type: 'message_stop' }));
  return new TextEncoder().encode(parts.join(''));
}

/** Cuts bytes into pieces of a fixed size. */
export function fixedChunks(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) chunks.push(bytes.slice(offset, offset + size));
  return chunks;
}

/** Cuts bytes into pieces of random sizes between 1 and `largest`, splitting characters and CRLF pairs freely. */
export function randomChunks(bytes: Uint8Array, largest: number, seed: number): Uint8Array[] {
  const random = seededRandom(seed);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length;) {
    const size = 1 + Math.floor(random() * largest);
    chunks.push(bytes.slice(offset, offset + size));
    offset += size;
  }
  return chunks;
}

/** A ReadableStream over chunks already in memory, as a fetch body would deliver them. */
export function streamOf(chunks: readonly Uint8Array[]): ReadableStream<Uint8Array> {
  let index = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (index < chunks.length) controller.enqueue(chunks[index++]!);
      else controller.close();
    },
  });
}
