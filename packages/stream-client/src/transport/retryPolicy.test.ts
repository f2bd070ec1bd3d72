import { describe, expect, it } from 'vitest';
import { backoffDelay, isRetryableStatus, resolveRetryPolicy, retryAfterMs } from './retryPolicy.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it('reads Retry-After in seconds, fractions included', () => {
    expect(retryAfterMs(headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(headers({ 'retry-after': '0.5' }), now)).toBe(500);
  });

  it('reads Retry-After as an HTTP date, never negative', () => {
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 25 Nov 2026 12:00:07 GMT' }), now)).toBe(7000);
    expect(retryAfterMs(headers({ 'retry-after': 'Wed, 25 Nov 2026 11:00:00 GMT' }), now)).toBe(0);
  });

  it('prefers retry-after-ms, as OpenAI sends it', () => {
    expect(retryAfterMs(headers({ 'retry-after-ms': '250', 'retry-after': '9' }), now)).toBe(250);
  });

  it('ignores what it cannot read', () => {
    expect(retryAfterMs(headers({}), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after': 'soon' }), now)).toBeUndefined();
    expect(retryAfterMs(headers({ 'retry-after-ms': 'abc', 'retry-after': '2' }), now)).toBe(2000);
  });
});

describe('backoffDelay', () => {
  const policy = resolveRetryPolicy({ baseDelayMs: 100, maxDelayMs: 1000 });

  it('doubles from the base, with jitter between half and all of the step', () => {
    expect(backoffDelay(1, policy, () => 0)).toBe(50);
    expect(backoffDelay(1, policy, () => 0.999_999)).toBeCloseTo(100, 3);
    expect(backoffDelay(3, policy, () => 0)).toBe(200);
  });

  it('never exceeds the ceiling', () => {
    expect(backoffDelay(10, policy, () => 0.999_999)).toBeLessThanOrEqual(1000);
  });
});

describe('retry policy', () => {
  it('retries timeouts, conflicts, too-early, rate limits, server faults and overload (529), nothing else', () => {
    const retryable = [408, 409, 425, 429, 500, 502, 503, 504, 529];
    const final = [400, 401, 403, 404, 413, 422];
    expect(retryable.every(isRetryableStatus)).toBe(true);
    expect(final.some(isRetryableStatus)).toBe(false);
  });

  it('fills defaults, makes a single try of false, and refuses nonsense', () => {
    expect(resolveRetryPolicy(undefined)).toEqual({ attempts: 3, baseDelayMs: 500, maxDelayMs: 10_000 });
    expect(resolveRetryPolicy(false).attempts).toBe(1);
    expect(() => resolveRetryPolicy({ attempts: 1.5 })).toThrow(RangeError);
  });

  it('treats an option given as undefined as not given, as a spread of app settings produces', () => {
    const settings: { attempts?: number | undefined } = {};
    expect(resolveRetryPolicy({ attempts: settings.attempts, maxDelayMs: 2000 })).toEqual({
      attempts: 3,
      baseDelayMs: 500,
      maxDelayMs: 2000,
    });
  });
});
