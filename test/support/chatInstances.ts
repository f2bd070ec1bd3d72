/*
 * Server processes of one deployment for tests: each runs test/support/chatInstance.mjs (the
 * chat handler over a shared Redis store) and is stopped after the file's tests.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A running server process. */
export interface ChatInstance {
  /** Its chat endpoint. */
  readonly url: string;
  readonly process: ChildProcess;
  /** Kills it as a crash or a deploy would: SIGKILL, no goodbye. */
  kill(): Promise<void>;
  /** Stops it politely. */
  stop(): Promise<void>;
}

const script = fileURLToPath(new URL('./chatInstance.mjs', import.meta.url));

/** Starts one server process with the Redis at `redisUrl` and the provider at `providerUrl`. */
export async function startChatInstance(redisUrl: string, providerUrl: string, leaseMs = 3000): Promise<ChatInstance> {
  const child = spawn(process.execPath, [script], {
    env: { ...process.env, REDIS_URL: redisUrl, PROVIDER_URL: providerUrl, LEASE_MS: String(leaseMs) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  process.once('exit', () => child.kill('SIGKILL'));
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /listening (\d+)/.exec(chunk.toString());
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`the chat instance exited with ${code}`)));
  });
  const exited = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}/api/chat`,
    process: child,
    async kill() {
      child.kill('SIGKILL');
      await exited();
    },
    async stop() {
      child.kill('SIGTERM');
      await exited();
    },
  };
}
