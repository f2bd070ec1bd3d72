import { ChatRequestError } from './ChatRequestError.js';

/**
 * Reads a request body as text, refusing it with a 413 when its declared length or what arrives
 * passes `limit` bytes (without reading the rest), so a client cannot make the server hold more.
 */
export async function readBody(
  body: ReadableStream<Uint8Array> | Iterable<Uint8Array | string> | AsyncIterable<Uint8Array | string> | null,
  limit: number,
  headers: Headers,
): Promise<string> {
  const declared = Number(headers.get('content-length') ?? 0);
  if (declared > limit) throw tooLarge(limit);
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
    for await (const chunk of body as AsyncIterable<Uint8Array | string>) add(chunk);
  }
  return text + decoder.decode();
}

function tooLarge(limit: number): ChatRequestError {
  return new ChatRequestError(
    413,
    `The request body is larger than this server accepts (${limit} bytes).`,
    'request_too_large',
    false,
  );
}
