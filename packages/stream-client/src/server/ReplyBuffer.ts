import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/**
 * The events of one reply held in this process, and the followers reading them: the heart of
 * `createMemoryStore`, and what a shared store serves its own process's followers from, so they
 * wait on nothing but the producer. For writers of stores.
 */
export class ReplyBuffer {
  /*
   * Each event's name and data, in two arrays rather than an object per event with its id: a
   * reply keeps thousands of events for as long as it runs, and the object and the id came to
   * more than the data itself. The id is made again when a follower reads the event.
   */
  private readonly types: (string | undefined)[] = [];
  private readonly data: string[] = [];
  /** The `retry:` of the few events that ask one, by index. */
  private readonly retries = new Map<number, number>();
  private ended = false;
  private readonly wakers = new Set<() => void>();
  private followerCount = 0;

  /**
   * @param streamId - the reply's id: its `n`-th event (from 1) goes out with the id `streamId:n`
   * @param onFollowers - told the number of followers each time it changes
   */
  constructor(
    private readonly streamId: string,
    private readonly onFollowers: (followers: number) => void = () => {},
  ) {
    // A store written for the constructor that took only the listener would number its events
    // with the listener's source text.
    if (typeof streamId !== 'string') {
      throw new TypeError('ReplyBuffer takes the reply’s stream id first: new ReplyBuffer(streamId, onFollowers).');
    }
  }

  /** How many events the reply has so far; the next one pushed is numbered one more. */
  get length(): number {
    return this.data.length;
  }

  /** Whether the reply has ended. */
  get done(): boolean {
    return this.ended;
  }

  /** How many followers read the reply now. */
  get followers(): number {
    return this.followerCount;
  }

  /** Adds the next event (its id, if it has one, is replaced by the buffer's), and wakes the followers waiting for it. */
  push(event: OutgoingServerSentEvent): void {
    if (event.retry !== undefined) this.retries.set(this.data.length, event.retry);
    this.types.push(event.type);
    this.data.push(event.data);
    this.wake();
  }

  /** The event at `index`, as a follower sends it. */
  private event(index: number): OutgoingServerSentEvent {
    const type = this.types[index];
    const id = `${this.streamId}:${index + 1}`;
    // Built field by field, never spread: every event read has the same shape in V8.
    const event: OutgoingServerSentEvent =
      type === undefined ? { data: this.data[index]!, id } : { type, data: this.data[index]!, id };
    const retry = this.retries.get(index);
    if (retry !== undefined) event.retry = retry;
    return event;
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
      if (index < this.data.length) return { done: false, value: this.event(index++) };
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
