/**
 * Streams event blocks as UTF-8, one block per chunk, waiting `delayMs` before each. At the end the
 * stream closes, or with `ending` it stalls (stays open and silent) or drops (errors like a reset
 * connection).
 */
export function streamBlocks(
  blocks: readonly string[],
  delayMs: number,
  signal?: AbortSignal,
  ending: 'close' | 'stall' | 'drop' = 'close',
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let index = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        controller.error(signal.reason);
      });
    },
    pull(controller) {
      if (index >= blocks.length) {
        if (ending === 'close') controller.close();
        else if (ending === 'drop') controller.error(new TypeError('The connection was reset (mock).'));
        // A stall never settles this pull, so no more are asked for: the stream stays open and silent.
        else return new Promise<void>(() => {});
        return;
      }
      const block = blocks[index++]!;
      if (delayMs <= 0) {
        controller.enqueue(encoder.encode(block));
        return;
      }
      return new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          if (!signal?.aborted) controller.enqueue(encoder.encode(block));
          resolve();
        }, delayMs);
      });
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}
