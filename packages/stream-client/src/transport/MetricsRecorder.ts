import type { StreamMetrics } from './StreamResult.js';

/** Records the timing of a stream as it happens, on `performance.now()`'s clock. */
export class MetricsRecorder {
  private readonly startedAt = performance.now();
  private firstTokenAt: number | undefined;
  private lastTokenAt = 0;
  private endedAt: number | undefined;
  private longestGapMs = 0;
  /** Network reads so far. */
  chunks = 0;
  /** Bytes received so far. */
  bytes = 0;
  /** HTTP requests made so far. */
  attempts = 0;

  /** A content token arrived now. */
  token(): void {
    const at = performance.now();
    if (this.firstTokenAt === undefined) this.firstTokenAt = at;
    else if (at - this.lastTokenAt > this.longestGapMs) this.longestGapMs = at - this.lastTokenAt;
    this.lastTokenAt = at;
  }

  /** When the latest content token arrived, on `performance.now()`'s clock; `undefined` before the first. */
  get lastTokenTime(): number | undefined {
    return this.firstTokenAt === undefined ? undefined : this.lastTokenAt;
  }

  /** Whether any content token has arrived. */
  get hasToken(): boolean {
    return this.firstTokenAt !== undefined;
  }

  /** The stream ended now: its duration stops growing. */
  end(): void {
    this.endedAt ??= performance.now();
  }

  /** The metrics so far, with tokens per second from `outputTokens`. */
  snapshot(outputTokens: number): StreamMetrics {
    const end = this.endedAt ?? performance.now();
    const generating = this.firstTokenAt === undefined ? 0 : this.lastTokenAt - this.firstTokenAt;
    return {
      timeToFirstTokenMs: this.firstTokenAt === undefined ? undefined : this.firstTokenAt - this.startedAt,
      durationMs: end - this.startedAt,
      tokensPerSecond: generating > 0 ? outputTokens / (generating / 1000) : undefined,
      longestGapMs: this.longestGapMs,
      chunks: this.chunks,
      bytes: this.bytes,
      attempts: this.attempts,
    };
  }
}
