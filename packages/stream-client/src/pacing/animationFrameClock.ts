import type { PacingClock } from './PacingClock.js';

/**
 * The default {@link PacingClock}: `performance.now()`, and `requestAnimationFrame` where there is
 * one (a browser), a 16 ms timer elsewhere (Node, a worker without frames).
 */
export const animationFrameClock: PacingClock = {
  now: () => performance.now(),
  requestFrame(callback) {
    if (typeof globalThis.requestAnimationFrame === 'function') {
      const handle = globalThis.requestAnimationFrame(callback);
      return () => globalThis.cancelAnimationFrame(handle);
    }
    const timer = setTimeout(callback, 16);
    return () => clearTimeout(timer);
  },
};
