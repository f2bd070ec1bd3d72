/*
 * Vitest's global setup for the projects with tests on Redis: when there is no redis-server to
 * run, those tests are skipped (each file asks `redisServerMissing()`), and the run says why in
 * one sentence, once, at its end, and fails; the tests that do not need Redis still run.
 */
import { redisServerMissing } from './redisServer.js';

/** Set on the main process once the sentence is out: each project with Redis tests runs this setup. */
const REPORTED = Symbol.for('sluice.redisServerMissing.reported');

/** Checks for redis-server before the tests; returns the teardown that reports its absence. */
export default function checkRedisServer(): () => void {
  const why = redisServerMissing();
  return () => {
    const state = globalThis as { [REPORTED]?: true };
    if (why === undefined || state[REPORTED]) return;
    state[REPORTED] = true;
    console.error(`\n${why} The tests that need it were skipped.\n`);
    process.exitCode = 1;
  };
}
