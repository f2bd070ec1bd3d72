/*
 * A real HTTP server on 127.0.0.1 for tests: it records every request (with its body and whether
 * the client hung up) and lets each test script the response.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach } from 'vitest';

/** A request as the server saw it. */
export interface RecordedRequest {
  method: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Resolves when the connection closes, whoever closed it. */
  closed: Promise<void>;
  /** Whether the client hung up before the server ended the response. */
  clientHungUp: () => boolean;
}

/** Scripts the response to the request with the given index (0 for the first). */
export type Handler = (request: RecordedRequest, response: ServerResponse, index: number) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  requests: RecordedRequest[];
}

const open = new Set<() => Promise<void>>();
afterEach(async () => {
  await Promise.all([...open].map((close) => close()));
  open.clear();
});

/** Listens on a random loopback port until the current test ends; returns the server's origin. */
export async function listen(listener: (request: IncomingMessage, response: ServerResponse) => void): Promise<string> {
  const sockets = new Set<import('node:net').Socket>();
  const server = createServer(listener);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  open.add(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * Serves a Web handler (`(request: Request) => Promise<Response>`) on loopback, as Node adapters
 * for Hono or Next.js do: the request's signal aborts when the client goes, and the response body
 * is cancelled then.
 */
export async function serveWeb(handler: (request: Request) => Promise<Response>): Promise<string> {
  return listen((incoming, outgoing) => {
    const gone = new AbortController();
    outgoing.on('close', () => {
      if (!outgoing.writableFinished) gone.abort();
    });
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) {
        if (typeof value === 'string') headers.set(name, value);
      }
      const request = new Request(`http://127.0.0.1${incoming.url}`, {
        method: incoming.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
        signal: gone.signal,
      });
      const response = await handler(request);
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.flushHeaders();
      if (response.body === null) {
        outgoing.end();
        return;
      }
      const reader = response.body.getReader();
      outgoing.on('close', () => void reader.cancel().catch(() => {}));
      try {
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          outgoing.write(value);
        }
      } catch {
        // Cancelled because the client went away.
      }
      outgoing.end();
    });
  });
}

/** Starts a server for the current test; it closes after the test. */
export async function serve(handler: Handler): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  const origin = await listen((incoming, response) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      let hungUp = false;
      const closed = new Promise<void>((resolve) =>
        response.on('close', () => {
          hungUp = !response.writableFinished;
          resolve();
        }),
      );
      const request: RecordedRequest = {
        method: incoming.method ?? 'GET',
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        closed,
        clientHungUp: () => hungUp,
      };
      requests.push(request);
      void handler(request, response, requests.length - 1);
    });
  });
  return { url: `${origin}/v1/chat`, requests };
}

/** Starts an event-stream response that flushes every write. */
export function beginEventStream(response: ServerResponse, headers: Record<string, string> = {}): void {
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    ...headers,
  });
  response.flushHeaders();
}

/** Writes blocks one after another, `delayMs` apart, then calls `then` (default: end the response). */
export function writeSlowly(
  response: ServerResponse,
  blocks: readonly string[],
  delayMs: number,
  then: () => void = () => response.end(),
): void {
  let index = 0;
  const next = () => {
    if (response.destroyed) return;
    if (index >= blocks.length) {
      then();
      return;
    }
    response.write(blocks[index++]);
    setTimeout(next, delayMs);
  };
  next();
}

export const wait = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));
