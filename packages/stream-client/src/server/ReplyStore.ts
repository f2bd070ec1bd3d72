import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';

/** Why a reply's producer was told to stop, as {@link ReplyWriter.stopReason} gives it. */
export type ReplyStopReason =
  /** A person pressed Stop, in whichever process they reached. */
  | 'stopped'
  /** No client followed the reply for the store's grace period. */
  | 'abandoned'
  /** The store can no longer keep the reply (it became unreachable), so nobody could resume it. */
  | 'store-lost';

/** What a store is told about a new reply. */
export interface ReplyOptions {
  /**
   * The chat the reply answers, when the client named one: while the reply runs, the store
   * answers {@link ReplyStore.activeReply} for it, so a reloaded page or a second tab finds it.
   */
  chatId?: string | undefined;
}

/** The producing end of one kept reply, held by the process that calls the provider. */
export interface ReplyWriter {
  /** The reply's stream id, minted by the store: random, unguessable, and safe in a header. */
  readonly streamId: string;
  /**
   * Aborts when the producer must stop: a Stop from any process, no follower for the grace
   * period, or the store lost. Hand it to the provider request.
   */
  readonly signal: AbortSignal;
  /** Why {@link signal} aborted, once it has. */
  readonly stopReason: ReplyStopReason | undefined;
  /**
   * Keeps the next event, numbered `<streamId>:<n>` with `n` counting from 1, and hands it to
   * the reply's followers. Never blocks: a store that writes elsewhere does so in the background,
   * in order, and aborts {@link signal} with `store-lost` if it cannot.
   */
  append(event: OutgoingServerSentEvent): void;
  /** The reply is over: no more events. It stays readable for the store's keep period. */
  end(): Promise<void>;
}

/**
 * Where replies are kept while they stream and for a while after, so that any server process can
 * continue one for a client that lost its connection, reloaded, or opened a second tab, and a Stop
 * reaches the process producing it. `createMemoryStore` keeps them in one process;
 * `@sluice/redis` shares them between processes.
 *
 * A store's iterators let go at once when `return()` is called, even while waiting for an event:
 * a follower that leaves must count as gone at once, not when the provider next speaks.
 */
export interface ReplyStore {
  /**
   * Begins a reply produced by this process. Rejects with a `ReplyStoreError` of kind
   * `unavailable` when the store cannot keep it now: the provider must then not be asked.
   */
  create(options: ReplyOptions): Promise<ReplyWriter>;
  /**
   * The events of a reply after the `after`-th (0 for all of them), then each new one until the
   * reply ends. Fails (at its first `next()`) with a `ReplyStoreError`: `gone` when the reply is
   * not kept, `lost` when its producer died before its end, `unavailable` when the store cannot
   * be read.
   */
  read(streamId: string, after: number): AsyncIterableIterator<OutgoingServerSentEvent>;
  /** The stream id of the reply that is running for a chat, if one is. */
  activeReply(chatId: string): Promise<string | undefined>;
  /** Asks the producer of a reply to stop, in whichever process it runs. */
  stop(streamId: string): Promise<void>;
  /** How many replies this process holds now. */
  readonly size: number;
}
