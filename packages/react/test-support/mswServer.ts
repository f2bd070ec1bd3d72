/*
 * MSW intercepting fetch in the test process: handlers answer with real streamed event-stream
 * bodies (with real timing), and every request is recorded with its abort signal.
 */
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { cleanup, configure } from '@testing-library/react';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const server = setupServer();

// waitFor and findBy resolve as soon as what they wait for is true; the default second is too short
// only on a loaded machine (a stream of real, delayed chunks under a dozen parallel jobs).
configure({ asyncUtilTimeout: 10_000 });

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

/** A request as a handler saw it. */
export interface SeenRequest {
  body: unknown;
  headers: Headers;
  signal: AbortSignal;
}

/** Answers requests to `url` with `respond`, recording each request. */
export function answer(
  url: string,
  respond: (request: SeenRequest, index: number) => Response | ReadableStream<Uint8Array>,
): SeenRequest[] {
  const seen: SeenRequest[] = [];
  server.use(
    http.all(url, async ({ request }) => {
      const text = await request.text();
      const entry = {
        body: text === '' ? undefined : (JSON.parse(text) as unknown),
        headers: request.headers,
        signal: request.signal,
      };
      seen.push(entry);
      const response = respond(entry, seen.length - 1);
      if (response instanceof Response) return response;
      return new HttpResponse(response, { headers: { 'content-type': 'text/event-stream' } });
    }),
  );
  return seen;
}

// Vitest runs without globals, so Testing Library cannot register its own cleanup.
afterEach(() => cleanup());
