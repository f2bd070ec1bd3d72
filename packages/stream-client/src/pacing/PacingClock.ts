/**
 * The time and the frames a {@link TextPacer} runs on. The default is the browser's animation
 * frames; tests pass a fake one, so pacing is checked by counting frames, never by waiting.
 */
export interface PacingClock {
  /** Milliseconds on a clock that never goes back, such as `performance.now()`. */
  now(): number;
  /** Calls `callback` once, before the next frame is painted; returns the function that cancels it. */
  requestFrame(callback: () => void): () => void;
}
