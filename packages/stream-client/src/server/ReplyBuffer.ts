import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/**
 * The events of one reply held in this process, and the followers reading them: the heart of
 * `createMemoryStore`, and what a shared store serves its own process's followers from, so they
 * wait on nothing but the producer. For writers of stores.
 */
export class ReplyBuffer {
  /** The events so far, in order; event `n` is at index `n - 1`. */
  readonly events: OutgoingServerSentEvent[] = [];
  private ended = false;
  private readonly wakers = new Set<() => void>();
  private followerCount = 0;

  /** @param onFollowers - told the number of followers each time it changes */
  constructor(private readonly onFollowers: (followers: number) => void = () => {}) {}

  /** Whether the reply has ended. */
  get done(): boolean {
    return this.ended;
  }

  /** How many followers read the reply now. */
  get followers(): number {
    return this.followerCount;
  }

  /** Adds the next event, as event `id`, and wakes the followers waiting for it. */
  push(event: OutgoingServerSentEvent, id: string): void {
    // Built field by field, never spread: a copy made with a spread can get a hidden class of its
    // own in V8, and a reply keeps thousands of these.
    const kept: OutgoingServerSentEvent =
      event.type === undefined ? { data: event.data, id } : { type: event.type, data: event.data, id };
    if (event.retry !== undefined) kept.retry = event.retry;
    this.events.push(kept);
    this.wake();
  }

  /** Ends the reply: followers finish once they have read every event. */
  end(): void {
    this.ended = true;
    this.wake();
  }

  /**
   * A follower reading from the `from`-th event (0-based). It counts as a follower from the moment
   * it exists, and its `return()` lets go at once, even while it waits for the next event.
   */
  follow(from: number): AsyncIterableIterator<OutgoingServerSentEvent> {
    this.followerCount++;
    this.onFollowers(this.followerCount);
    let index = from;
    let closed = false;
    let waiting: (() => void) | undefined;
    const close = () => {
      if (closed) return;
      closed = true;
      if (waiting !== undefined) {
        this.wakers.delete(waiting);
        waiting();
      }
      this.followerCount--;
      this.onFollowers(this.followerCount);
    };
    const finished = { done: true, value: undefined } as const;
    /** The follower's next step if it can be taken now: an event, or its end; else `undefined`. */
    const step = (): IteratorResult<OutgoingServerSentEvent> | undefined => {
      if (closed) return finished;
      if (index < this.events.length) return { done: false, value: this.events[index++]! };
      if (this.ended) {
        close();
        return finished;
      }
      return undefined;
    };
    return {
      next: () => {
        const ready = step();
        if (ready !== undefined) return Promise.resolve(ready);
        // One promise per wait, answered by the waker itself (a push, the end, or this follower's
        // own return()), rather than an async function's promise plus one for the wake: this
        // runs once per event of every follower. Every waker is called after something changed
        // that gives a step, so `step()` has one then.
        return new Promise<IteratorResult<OutgoingServerSentEvent>>((resolve) => {
          const wake = () => {
            waiting = undefined;
            resolve(step()!);
          };
          waiting = wake;
          this.wakers.add(wake);
        });
      },
      async return() {
        close();
        return finished;
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private wake(): void {
    for (const waker of this.wakers) waker();
    this.wakers.clear();
  }
}
