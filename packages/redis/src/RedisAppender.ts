import type { OutgoingServerSentEvent } from '@sluice/stream-client/server';
import type { Connection } from './Connection.js';

/**
 * Adds a batch of entries to reply streams: for each key, how many entries, then each entry's
 * id, type, data and reconnection time ('' for none). One call carries the events every reply of
 * this process produced in one turn of the event loop.
 */
const APPEND_SCRIPT = `
local at = 1
for index = 1, #KEYS do
  local count = tonumber(ARGV[at])
  at = at + 1
  for _ = 1, count do
    if ARGV[at + 3] == '' then
      redis.call('XADD', KEYS[index], ARGV[at], 't', ARGV[at + 1], 'd', ARGV[at + 2])
    else
      redis.call('XADD', KEYS[index], ARGV[at], 't', ARGV[at + 1], 'd', ARGV[at + 2], 'r', ARGV[at + 3])
    end
    at = at + 4
  end
end
return 1`;

/** The most entries one call carries, so that no call holds Redis for long. */
const MOST_PER_CALL = 2000;

/** A reply whose events the appender writes. */
export interface AppendTarget {
  /** The reply's stream key. */
  readonly key: string;
  /** Redis did not take a batch with the reply's events in it (the failure is reported once, elsewhere). */
  lose(): void;
}

/**
 * Writes the events of every reply this process produces to Redis in batches. A reply of 1,000
 * tokens per second and a thousand of them at once would be a million commands a second one by
 * one; batched, it is one call per turn of the event loop. Entries keep their order: a reply's
 * entries are in order within a batch, and batches go out in order on one connection.
 */
export class RedisAppender {
  private pending = new Map<AppendTarget, string[]>();
  /**
   * The connection without node-redis's command timeout: a batch that waits on a busy process is
   * late, not lost, and a dead connection still fails it at once.
   */
  private readonly untimed: Pick<Connection, 'eval'>;
  private count = 0;
  private scheduled = false;

  /**
   * @param commands - the connection the batches go out on
   * @param onError - told once of each batch Redis did not take
   */
  constructor(
    commands: Connection,
    private readonly onError: (error: unknown) => void,
  ) {
    this.untimed = commands.withCommandOptions({ timeout: 0 });
  }

  /** Queues event `sequence` of a reply; it goes out at the end of this turn of the event loop. */
  add(target: AppendTarget, sequence: number, event: OutgoingServerSentEvent): void {
    let entries = this.pending.get(target);
    if (entries === undefined) this.pending.set(target, (entries = []));
    entries.push(`1-${sequence}`, event.type ?? '', event.data, event.retry === undefined ? '' : String(event.retry));
    if (++this.count >= MOST_PER_CALL) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /**
   * Sends what is queued now. Called before anything that must follow a reply's events on the
   * connection (its end), since commands on one connection run in the order they were sent.
   */
  flush(): void {
    this.scheduled = false;
    if (this.count === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    this.count = 0;
    const keys: string[] = [];
    const argumentsOfCall: string[] = [];
    for (const [target, entries] of batch) {
      keys.push(target.key);
      argumentsOfCall.push(String(entries.length / 4));
      for (const value of entries) argumentsOfCall.push(value);
    }
    this.untimed.eval(APPEND_SCRIPT, { keys, arguments: argumentsOfCall }).catch((error: unknown) => {
      // One report for the batch, however many replies it carried.
      this.onError(error);
      for (const target of batch.keys()) target.lose();
    });
  }
}
