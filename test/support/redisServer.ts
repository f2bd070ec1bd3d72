/*
 * A redis-server of the test's own: Debian's `redis-server` binary on a random loopback port, with
 * its own temporary directory and no persistence, stopped (and its directory removed) after.
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Kills it at once, as a crash would (SIGKILL). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  stop(): Promise<void>;
}

const binary = process.env['REDIS_SERVER'] ?? 'redis-server';

let missing: { why: string | undefined } | undefined;

/**
 * Why no redis-server can be run here, as one sentence saying what to install, or `undefined`
 * when one can. Checked once per process.
 */
export function redisServerMissing(): string | undefined {
  if (missing === undefined) {
    const probe = spawnSync(binary, ['--version'], { encoding: 'utf8' });
    missing = {
      why:
        probe.error === undefined && probe.status === 0
          ? undefined
          : `The tests on Redis need redis-server, and "${binary}" could not be run ` +
            `(${probe.error?.message ?? `exit ${probe.status}`}): install Debian’s redis-server ` +
            '(apt-get install -y redis-server, as .ci/run does), or set REDIS_SERVER to its path.',
    };
  }
  return missing.why;
}

/** Throws {@link redisServerMissing}'s sentence when there is no redis-server to run. */
export function requireRedisServer(): void {
  const why = redisServerMissing();
  if (why !== undefined) throw new Error(why);
}

/** Starts a redis-server of its own; `port` to reuse one (after `kill`). */
export async function startRedisServer(port?: number): Promise<RedisServer> {
  requireRedisServer();
  const directory = mkdtempSync(join(tmpdir(), 'sluice-redis-'));
  let chosen = port ?? (await freePort());
  let child = await launch(chosen, directory);
  const exited = (process: ChildProcess) =>
    new Promise<void>((resolve) => {
      if (process.exitCode !== null || process.signalCode !== null) resolve();
      else process.once('exit', () => resolve());
    });
  return {
    get url() {
      return `redis://127.0.0.1:${chosen}`;
    },
    get port() {
      return chosen;
    },
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      child.kill('SIGKILL');
      await exited(child);
      child = await launch(chosen, directory);
    },
    async stop() {
      child.kill('SIGTERM');
      await exited(child);
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

async function launch(port: number, directory: string): Promise<ChildProcess> {
  const child = spawn(
    binary,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      directory,
      '--loglevel',
      'warning',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
  // Stopped with the test process, even if a test forgets.
  process.once('exit', () => child.kill('SIGKILL'));
  for (let waited = 0; waited < 10_000; waited += 20) {
    if (child.exitCode !== null) throw new Error(`redis-server exited at start: ${errors.trim()}`);
    if (await accepts(port)) return child;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  child.kill('SIGKILL');
  throw new Error(`redis-server did not start on port ${port}: ${errors.trim()}`);
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end('PING\r\n');
      socket.once('data', (data) => {
        socket.destroy();
        resolve(data.toString().startsWith('+PONG'));
      });
    });
    socket.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
