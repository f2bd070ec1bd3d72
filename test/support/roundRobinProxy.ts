/*
 * A load balancer for tests: one address in front of several server processes. Each request to
 * the API goes to the next process in turn; everything else (the page, its scripts) to the first.
 * A client that goes away is gone for the process too: the upstream request is destroyed.
 */
import { createServer, request as forward } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** Listens on loopback until closed; gives its origin, where each API request went, and `close`. */
export async function roundRobinProxy(origins: readonly string[], isApi: (path: string) => boolean) {
  let turn = 0;
  const routed: Array<{ path: string; origin: string }> = [];
  const sockets = new Set<Socket>();
  const server = createServer((incoming, outgoing) => {
    const path = incoming.url ?? '/';
    const target = new URL(isApi(path) ? origins[turn++ % origins.length]! : origins[0]!);
    if (isApi(path)) routed.push({ path, origin: target.origin });
    const upstream = forward(
      { host: target.hostname, port: target.port, method: incoming.method, path, headers: incoming.headers },
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
