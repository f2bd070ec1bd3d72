import type { OutgoingServerSentEvent } from '@sluice/stream-client/server';
import type { ReplyStoreError } from '@sluice/stream-client/server';

/**
 * One follower's events from Redis, as an async iterator: filled by the process's single reader
 * of Redis, read by one response. `return()` lets go at once, even while waiting.
 */
export class EventQueue implements AsyncIterableIterator<OutgoingServerSentEvent> {
  /** The sequence of the last event handed over (or skipped as already seen by the client). */
  position: number;
  private readonly queue: Array<OutgoingServerSentEvent | undefined> = [];
  private head = 0;
  private ended = false;
  private failure: ReplyStoreError | undefined;
  private waiting: (() => void) | undefined;
  private closedByReader = false;

  /**
   * @param after - the last sequence the client has
   * @param onClose - told once, when the follower leaves or its reply ends
   */
  constructor(
    after: number,
    private readonly onClose: () => void,
  ) {
    this.position = after;
  }

  /** Whether nothing more will be added. */
  get closed(): boolean {
    return this.ended || this.closedByReader || this.failure !== undefined;
  }

  /** Adds the next event, numbered `sequence`. */
  push(event: OutgoingServerSentEvent, sequence: number): void {
    if (this.closed) return;
    this.position = sequence;
    this.queue.push(event);
    this.wake();
  }

  /** The reply ended: the follower finishes once it has read every event. */
  finish(): void {
    if (this.closed) return;
    this.ended = true;
    this.onClose();
    this.wake();
  }

  /** The reply cannot be read on: the follower fails with `error` after the events it has. */
  fail(error: ReplyStoreError): void {
    if (this.closed) return;
    this.failure = error;
    this.onClose();
    this.wake();
  }

  async next(): Promise<IteratorResult<OutgoingServerSentEvent>> {
    for (;;) {
      if (this.closedByReader) return { done: true, value: undefined };
      if (this.head < this.queue.length) {
        const event = this.queue[this.head]!;
        this.queue[this.head++] = undefined;
        // Let go of what was read: a long reply must not be held twice.
        if (this.head > 1024 && this.head * 2 > this.queue.length) {
          this.queue.splice(0, this.head);
          this.head = 0;
        }
        return { done: false, value: event };
      }
      if (this.failure !== undefined) {
        const failure = this.failure;
        this.closedByReader = true;
        throw failure;
      }
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  async return(): Promise<IteratorResult<OutgoingServerSentEvent>> {
    if (!this.closedByReader) {
      const open = !this.ended && this.failure === undefined;
      this.closedByReader = true;
      if (open) this.onClose();
      this.wake();
    }
    return { done: true, value: undefined };
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<OutgoingServerSentEvent> {
    return this;
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = undefined;
    waiting?.();
  }
}
