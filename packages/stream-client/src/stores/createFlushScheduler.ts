/** How often a store publishes streaming text: once per animation frame, every N milliseconds, or on every token. */
export type Throttle = 'frame' | number | false;

/** Runs a flush at most once per period, however often it is asked for. */
export interface FlushScheduler {
  /** Asks for a flush; does nothing if one is already due. */
  request(): void;
  /** Forgets a flush that is due (before publishing a final state, or on dispose). */
  cancel(): void;
  /** Changes the period; a flush already due is re-armed with the new one. */
  setThrottle(throttle: Throttle): void;
}

/**
 * A scheduler for coalescing bursts of tokens: with `'frame'` it uses `requestAnimationFrame`
 * where there is one (a browser) and a 16 ms timer elsewhere; with a number, a timer; with `false`,
 * it flushes at once.
 */
export function createFlushScheduler(throttle: Throttle, flush: () => void): FlushScheduler {
  let handle: unknown;
  let due = false;
  const run = () => {
    due = false;
    handle = undefined;
    flush();
  };
  const usesFrames = (value: Throttle) => value === 'frame' && typeof globalThis.requestAnimationFrame === 'function';
  let frames = usesFrames(throttle);
  const scheduler: FlushScheduler = {
    request() {
      if (due) return;
      if (throttle === false) {
        flush();
        return;
      }
      due = true;
      if (frames) handle = globalThis.requestAnimationFrame(run);
      else handle = setTimeout(run, throttle === 'frame' ? 16 : throttle);
    },
    cancel() {
      if (!due) return;
      due = false;
      if (frames) globalThis.cancelAnimationFrame(handle as number);
      else clearTimeout(handle as ReturnType<typeof setTimeout>);
      handle = undefined;
    },
    setThrottle(next) {
      if (next === throttle) return;
      const wasDue = due;
      scheduler.cancel();
      throttle = next;
      frames = usesFrames(next);
      if (wasDue) scheduler.request();
    },
  };
  return scheduler;
}
