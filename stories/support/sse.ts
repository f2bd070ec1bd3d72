import { SSE_HEADERS } from '@sluice/stream-client/server';
import { http, HttpResponse } from 'msw';

/**
 * An MSW handler that answers `path` with a streamed event-stream body (or any Response), counting
 * attempts so a story can fail the first and succeed the next.
 */
export function sse(
  path: string,
  respond: (request: Request, attempt: number) => ReadableStream<Uint8Array> | Response,
) {
  let attempt = 0;
  return http.all(path, ({ request }) => {
    const body = respond(request, attempt++);
    if (body instanceof Response) return body;
    return new HttpResponse(body, {
      headers: SSE_HEADERS,
    });
  });
}
