/** How `streamText` retries before the first token and resumes after it. */
export interface RetryOptions {
  /** Tries in all, the first included. Default 3. */
  attempts?: number | undefined;
  /** The first back-off delay; each further retry doubles it. Default 500 ms. */
  baseDelayMs?: number | undefined;
  /** The longest back-off delay, and the longest `Retry-After` worth waiting for. Default 10 s. */
  maxDelayMs?: number | undefined;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = { readonly [Key in keyof RetryOptions]-?: Exclude<RetryOptions[Key], undefined> };

/** The policy for `retry` as given: defaults filled in, or a single try for `false`. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  if (options === false) return { attempts: 1, baseDelayMs: 0, maxDelayMs: 0 };
  // Each default by `??`: an option given as undefined is no option given.
  const policy = {
    attempts: options?.attempts ?? 3,
    baseDelayMs: options?.baseDelayMs ?? 500,
    maxDelayMs: options?.maxDelayMs ?? 10_000,
  };
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) {
    throw new RangeError(`retry.attempts must be a whole number of at least 1, not ${String(policy.attempts)}.`);
  }
  return policy;
}

/** HTTP statuses worth trying again: timeouts, conflicts, too early, rate limits and server faults (529 is Anthropic's "overloaded"). */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 425 || status === 429 || status >= 500;
}

/**
 * The wait a response asks for: `retry-after-ms` (OpenAI), else `Retry-After` in seconds or as an
 * HTTP date. `undefined` when it asks for none or says something unreadable.
 */
export function retryAfterMs(headers: Headers, now: number = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms');
  if (milliseconds !== null && /^\s*\d+(\.\d+)?\s*$/.test(milliseconds)) return Number(milliseconds);
  const value = headers.get('retry-after');
  if (value === null) return undefined;
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Exponential back-off with jitter for the retry after try number `tryNumber` (1 for the first
 * failure): half the doubled delay fixed, half random, so many clients do not retry in step.
 */
export function backoffDelay(tryNumber: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (tryNumber - 1));
  return ceiling / 2 + random() * (ceiling / 2);
}
