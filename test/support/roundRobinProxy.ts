/*
 * A load balancer for tests: one address in front of several server processes. Each request to
 * the API goes to the next process in turn (unless the test picks one); everything else (the
 * page, its scripts) to the first. A client that goes away is gone for the process too: the
 * upstream request is destroyed.
 */
import { createServer, request as forward } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** An API request as the proxy routed it. */
export interface RoutedRequest {
  path: string;
  method: string;
  headers: IncomingHttpHeaders;
  /** The origin of the process it went to. */
  origin: string;
}

/** Options of {@link roundRobinProxy}. */
export interface RoundRobinOptions {
  /**
   * Picks the process for an API request (an origin of `origins`), given the requests routed
   * before it; `undefined` leaves it to the turn. The turn moves on either way.
   */
  pick?(request: Omit<RoutedRequest, 'origin'>, routed: readonly RoutedRequest[]): string | undefined;
}

/** Listens on loopback until closed; gives its origin, where each API request went, and `close`. */
export async function roundRobinProxy(
  origins: readonly string[],
  isApi: (path: string) => boolean,
  options: RoundRobinOptions = {},
) {
  let turn = 0;
  const routed: RoutedRequest[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    const method = incoming.method ?? 'GET';
    let origin = origins[0]!;
    if (isApi(path)) {
      const inTurn = origins[turn++ % origins.length]!;
      const request = { path, method, headers: incoming.headers };
      origin = options.pick?.(request, routed) ?? inTurn;
      routed.push({ ...request, origin: new URL(origin).origin });
    }
    const target = new URL(origin);
    const upstream = forward(
      { host: target.hostname, port: target.port, method, path, headers: incoming.headers },
      (response) => {
        outgoing.writeHead(response.statusCode ?? 502, response.headers);
        outgoing.flushHeaders();
        response.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    outgoing.on('close', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, routed, close };
}
