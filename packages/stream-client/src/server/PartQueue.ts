/**
 * Parts pushed from several places at once (tools running side by side, each sending data as it
 * works), read in the order they were pushed by one `for await`, until it is closed.
 */
export class PartQueue<Part> implements AsyncIterable<Part> {
  private readonly items: Part[] = [];
  private wake: (() => void) | undefined;
  private closed = false;

  /** Adds a part; after `close`, it is dropped. */
  push(part: Part): void {
    if (this.closed) return;
    this.items.push(part);
    this.wake?.();
  }

  /** No more parts: the reader ends once it has read those pushed. */
  close(): void {
    this.closed = true;
    this.wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Part, void, undefined> {
    for (;;) {
      const part = this.items.shift();
      if (part !== undefined) {
        yield part;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
  }
}
