/*
 * Animation frames under the test's control: requestAnimationFrame only queues, and `runFrame()`
 * runs what is queued, as one browser frame would.
 */
export function installManualFrames() {
  let queue = new Map<number, FrameRequestCallback>();
  let nextHandle = 1;
  const original = { request: globalThis.requestAnimationFrame, cancel: globalThis.cancelAnimationFrame };
  globalThis.requestAnimationFrame = (callback) => {
    const handle = nextHandle++;
    queue.set(handle, callback);
    return handle;
  };
  globalThis.cancelAnimationFrame = (handle) => {
    queue.delete(handle);
  };
  return {
    /** Runs the callbacks queued so far; returns how many ran. */
    runFrame(): number {
      const due = queue;
      queue = new Map();
      for (const callback of due.values()) callback(performance.now());
      return due.size;
    },
    get queued() {
      return queue.size;
    },
    restore() {
      globalThis.requestAnimationFrame = original.request;
      globalThis.cancelAnimationFrame = original.cancel;
    },
  };
}
