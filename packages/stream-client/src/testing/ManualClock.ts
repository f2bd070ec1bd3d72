import type { PacingClock } from '../pacing/PacingClock.js';

/**
 * A {@link PacingClock} that moves only when told: `frame()` advances the time by a frame and runs
 * the frame asked for, so a test of paced text counts frames instead of waiting for them.
 *
 * @example
 * ```ts
 * const clock = new ManualClock();
 * const pacer = new TextPacer({ clock });
 * pacer.push('Hello');
 * pacer.push('Hello, world, and a great deal more');
 * clock.frame();
 * ```
 */
export class ManualClock implements PacingClock {
  /** The time now, in milliseconds. */
  time = 0;
  private pending: (() => void) | undefined;

  /** Whether a frame has been asked for and not yet run or cancelled. */
  get framePending(): boolean {
    return this.pending !== undefined;
  }

  /** The time now, as a {@link PacingClock} tells it. */
  readonly now = (): number => this.time;

  /** Keeps `callback` for the next `frame()`; returns the function that cancels it. */
  readonly requestFrame = (callback: () => void): (() => void) => {
    this.pending = callback;
    return () => {
      if (this.pending === callback) this.pending = undefined;
    };
  };

  /** Moves the time on by `milliseconds` without running a frame. */
  advance(milliseconds: number): void {
    this.time += milliseconds;
  }

  /** Moves the time on by `milliseconds` (a 60 Hz frame by default) and runs the frame asked for, if any; returns whether one ran. */
  frame(milliseconds = 16): boolean {
    this.time += milliseconds;
    const callback = this.pending;
    this.pending = undefined;
    callback?.();
    return callback !== undefined;
  }
}
