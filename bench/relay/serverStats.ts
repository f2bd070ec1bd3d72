import type { IncomingMessage, ServerResponse } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/** How finely the event loop's delay is sampled; the idle reading, which is subtracted. */
const RESOLUTION_MS = 5;

/**
 * What a benchmark server reports of itself at `/stats`: memory, and the event loop's delay since
 * `/stats/reset` (beyond the sampling interval, so an idle loop reads about 0). `/stats/gc`
 * collects garbage first (the server runs with --expose-gc), for a baseline that holds no garbage.
 */
export function serverStats(): (request: IncomingMessage, response: ServerResponse) => boolean {
  const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  delay.enable();
  const milliseconds = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
  return (request, response) => {
    if (!request.url?.startsWith('/stats')) return false;
    if (request.url === '/stats/reset') delay.reset();
    if (request.url === '/stats/gc') (globalThis as { gc?: () => void }).gc?.();
    const memory = process.memoryUsage();
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(
      JSON.stringify({
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        eventLoopDelay: {
          p50: milliseconds(delay.percentile(50)),
          p99: milliseconds(delay.percentile(99)),
          max: milliseconds(delay.max),
        },
      }),
    );
    return true;
  };
}
