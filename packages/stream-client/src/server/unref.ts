/** Lets a process exit while a timer waits (Node, Bun, Deno); other runtimes have no such thing. */
export function unref<Timer extends ReturnType<typeof setTimeout>>(timer: Timer): Timer {
  (timer as { unref?: () => void }).unref?.();
  return timer;
}
