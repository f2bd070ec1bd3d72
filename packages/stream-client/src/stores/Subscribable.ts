/**
 * The base of every store: a set of listeners, and `subscribe` returning the function that
 * unsubscribes. `subscribe` is a bound field, so it can be handed to `useSyncExternalStore` as is.
 */
export class Subscribable {
  protected readonly listeners = new Set<() => void>();

  /** Calls `listener` whenever the snapshot changes; returns the function that stops it. */
  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  protected notify(): void {
    for (const listener of this.listeners) listener();
  }
}
