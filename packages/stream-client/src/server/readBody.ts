import { ChatRequestError } from './ChatRequestError.js';

/**
 * Reads a request body as text, refusing it with a 413 once it passes `limit` bytes (without
 * reading the rest), so a client cannot make the server hold more than that.
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array | string> | null,
  limit: number,
): Promise<string> {
  if (body === null) return '';
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let bytes = 0;
  let text = '';
  const add = (chunk: Uint8Array | string) => {
    const data = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    bytes += data.byteLength;
    if (bytes > limit) throw tooLarge(limit);
    text += decoder.decode(data, { stream: true });
  };
  if (body instanceof ReadableStream) {
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        add(value);
      }
    } finally {
      reader.cancel().catch(() => {});
    }
  } else {
    for await (const chunk of body) add(chunk);
  }
  return text + decoder.decode();
}

/** The 413 for a body over `limit` bytes. */
export function tooLarge(limit: number): ChatRequestError {
  return new ChatRequestError(
    413,
    `The request body is larger than this server accepts (${limit} bytes).`,
    'request_too_large',
    false,
  );
}
