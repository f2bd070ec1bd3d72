import { SLUICE_PROTOCOL_VERSION } from '../providers/createSluiceDecoder.js';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { StreamPart } from '../providers/StreamPart.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { MetricsRecorder } from '../transport/MetricsRecorder.js';
import { providerFailure } from '../transport/providerFailure.js';
import { ResultAccumulator } from '../transport/ResultAccumulator.js';
import { StreamError } from '../transport/StreamError.js';
import type { StreamResult } from '../transport/StreamResult.js';
import { errorEvent } from './errorEvent.js';
import { readOnce } from './readOnce.js';
import { reportFailure } from './reportFailure.js';
import type { Redact } from './errorEvent.js';

/** How a relayed reply ended, for {@link RelayOptions.onFinish}. */
export interface RelayEnding {
  /** The reply's stream id, as its header named it. */
  streamId: string;
  /** `done` when the upstream finished, `failed` when it failed, `stopped` when nobody was left to read it. */
  status: 'done' | 'failed' | 'stopped';
  /** Everything relayed: the whole reply, or the part of it that came before the end. */
  result: StreamResult;
  /** The failure, when it `failed`. */
  error?: StreamError | undefined;
}

/** Options of {@link relay}. */
export interface RelayOptions {
  /** The reply's stream id, for the header; a random one by default. A store of replies mints its own. */
  streamId?: string | undefined;
  /** Asks clients to wait this long before reconnecting after a drop, in milliseconds. */
  retryMs?: number | undefined;
  /**
   * Ends the reply with an `error` event of kind `timeout` when the upstream yields no part for
   * this long, and aborts it: a source that stalls behind the relay's own keep-alives would
   * otherwise leave the client waiting forever.
   */
  stallTimeoutMs?: number | undefined;
  /**
   * The signal the upstream was given. Whatever the upstream throws once it has aborted (fetch
   * and SDKs reject with an `AbortError`) is a stop, not a failure.
   */
  signal?: AbortSignal | undefined;
  /**
   * Called once when the reply ends, however it ends, before the response closes: persist the
   * reply and its usage here. What it throws goes to `onError`, never to the client.
   */
  onFinish?: ((ending: RelayEnding) => void | Promise<void>) | undefined;
  /**
   * Called with each failure: the upstream's `StreamError`, or anything else that was thrown (the
   * client is told only that the server failed). By default, failures are logged with
   * `console.error`, their secrets redacted.
   */
  onError?: ((error: unknown) => void) | undefined;
  /** Replaces secrets (an API key) in what is sent to the client or logged. */
  redact?: Redact | undefined;
}

/**
 * Turns any stream of parts (a `streamText` of any provider, or your own) into the `sluice`
 * protocol: a header naming the protocol version and the reply's stream id, then one event per
 * part. A failure upstream is written as an `error` event that keeps its kind, never as a silent
 * close; a client that stops listening aborts the upstream request.
 *
 * `relay` reads the upstream once, as its only reader: a `TextStream` from `streamText` lets go of
 * the parts relay has read each time it has caught up, so that a server relaying a long reply holds
 * its text and not every part of it. Read the stream beside relay with `on` or `result()`: an
 * iterator begun before relay still gets every part, and one begun after throws a `TypeError`.
 *
 * The events carry no ids: a relay on its own cannot continue a reply after a dropped connection,
 * so it does not invite the client to try. Keep replies in `createResumableStreams` (which numbers
 * each event) to let clients resume, or use `createChatHandler`, which does both.
 *
 * @example
 * ```ts
 * return toSSEResponse((signal) => relay(streamText({ url, headers, body, provider: 'anthropic', signal })));
 * ```
 */
export function relay(
  upstream: AsyncIterable<StreamPart> & { abort?(reason?: unknown): void },
  options: RelayOptions = {},
): AsyncIterableIterator<OutgoingServerSentEvent> {
  const run = new RelayRun(upstream, options);
  const events = run.events();
  let started = false;
  return {
    next() {
      started = true;
      return events.next();
    },
    async return() {
      // A generator closed before its first step never runs its body, so the reply would end
      // without the upstream aborted or onFinish called: end it here instead.
      if (!started) await run.end('stopped');
      return events.return(undefined);
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}

/** One relayed reply: its events, and the bookkeeping of its end, which happens exactly once. */
class RelayRun {
  private readonly streamId: string;
  private readonly redact: Redact;
  private readonly accumulator = new ResultAccumulator();
  private readonly metrics = new MetricsRecorder();
  private ended = false;

  constructor(
    private readonly upstream: AsyncIterable<StreamPart> & { abort?(reason?: unknown): void },
    private readonly options: RelayOptions,
  ) {
    this.streamId = options.streamId ?? globalThis.crypto.randomUUID();
    this.redact = options.redact ?? ((text: string) => text);
    this.metrics.attempts = 1;
  }

  async *events(): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
    let status: RelayEnding['status'] = 'stopped';
    let failure: StreamError | undefined;
    let finished = false;
    // The upstream is read here directly, not through a generator of its own wrapped in a
    // `for await`: that was two more promises and a suspended generator per part of every reply.
    // What the `for await` did is kept: the upstream is closed (and waited for) when the reply
    // leaves it early, before anything else, and left alone when it ended or threw.
    const upstream = new UpstreamReader(this.upstream, this.options.stallTimeoutMs, () => this.snapshot());
    /** Whether a read of the upstream is under way: what is thrown then came from the upstream. */
    let reading = false;
    /** The upstream has ended or thrown: it is not closed then, as a `for await` would not. */
    let upstreamOver = false;
    try {
      const header = sluiceEvent({ type: 'sluice', version: SLUICE_PROTOCOL_VERSION, streamId: this.streamId });
      if (this.options.retryMs !== undefined) header.retry = this.options.retryMs;
      yield header;
      for (;;) {
        reading = true;
        const next = await upstream.next();
        reading = false;
        if (next.done === true) {
          upstreamOver = true;
          break;
        }
        const part = next.value;
        // A sluice upstream's own header: this relay has written the header of its reply.
        if (part.type === 'sluice') continue;
        if (part.type === 'error') {
          const { message, details } = providerFailure(part);
          throw new StreamError(message, { ...details, partial: this.snapshot() });
        }
        const excess = this.accumulator.excess(part);
        if (excess !== undefined) {
          throw new StreamError(`The upstream was refused: ${excess}.`, {
            kind: 'protocol',
            retryable: false,
            partial: this.snapshot(),
          });
        }
        if (this.accumulator.add(part)) this.metrics.token();
        else if (part.type === 'finish' && (part.choice === undefined || part.choice === 0)) finished = true;
        yield sluiceEvent(part);
      }
      // A source that returns once its signal aborted (a model of your own, told to stop) was stopped.
      if (!finished && this.options.signal?.aborted === true) return;
      if (!finished) {
        // A source of your own that simply ends has said all it will: that is its finish, not a cut.
        const finish: StreamPart = { type: 'finish', finishReason: 'stop' };
        this.accumulator.add(finish);
        yield sluiceEvent(finish);
      }
      status = 'done';
    } catch (error) {
      // A failure of the upstream's own leaves it be; one of this relay's closes the upstream first.
      if (reading) upstreamOver = true;
      else if (!upstreamOver) {
        upstreamOver = true;
        await upstream.close(true);
      }
      if ((error instanceof StreamError && error.kind === 'aborted') || this.options.signal?.aborted === true) return;
      status = 'failed';
      failure =
        error instanceof StreamError
          ? error
          : new StreamError('The server failed while streaming the answer.', {
              kind: 'http',
              status: 500,
              retryable: true,
              relayed: false,
              partial: this.snapshot(),
              cause: error,
            });
      this.report(error);
      yield errorEvent(error, this.redact);
    } finally {
      // Left early (the client went away): the upstream's iteration ends too.
      await upstream.close(!upstreamOver);
      await this.end(status, failure);
    }
  }

  /** Ends the reply once: aborts the upstream if it was left early, and calls `onFinish`. */
  async end(status: RelayEnding['status'], failure?: StreamError): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.metrics.end();
    // Left early (the client went away) or ended on a failure of the relay's own (a stall, a
    // refused part): the upstream must stop generating, and billing, for nobody. An upstream that
    // ended by itself ignores the abort.
    if (status === 'stopped') this.upstream.abort?.(new Error('The client disconnected.'));
    else if (status === 'failed') this.upstream.abort?.(new Error('The reply failed.'));
    if (this.options.onFinish === undefined) return;
    const ending: RelayEnding = { streamId: this.streamId, status, result: this.snapshot() };
    if (failure !== undefined) ending.error = failure;
    try {
      await this.options.onFinish(ending);
    } catch (error) {
      this.report(error);
    }
  }

  private snapshot(): StreamResult {
    return this.accumulator.snapshot(this.metrics.snapshot(this.accumulator.outputTokens), undefined);
  }

  /** Hands a failure to `onError`, or logs it without its secrets; a throwing `onError` is logged too. */
  private report(error: unknown): void {
    try {
      if (this.options.onError !== undefined) {
        this.options.onError(error);
        return;
      }
    } catch (thrown) {
      reportFailure('sluice relay: onError threw', thrown, this.redact);
    }
    reportFailure('sluice relay', error, this.redact);
  }
}

/**
 * Reads the upstream's parts for {@link RelayRun.events}, failing with kind `timeout` when it is
 * silent for `stallTimeoutMs`. The stall timer is re-armed lazily from the latest part, so a part
 * costs one comparison; a read settles at once when the stall is noticed, even from a source that
 * ignores its signal. Nothing is asked of the upstream before the first read.
 */
class UpstreamReader {
  private iterator: AsyncIterator<StreamPart> | undefined;
  /** The upstream ended, threw, stalled or was closed: it is not to be closed (again). */
  private done = false;
  private readonly stallMs: number | undefined;
  private lastPart = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stalled = false;
  /** The read under way, while there is one: settled by the part, its failure, or a stall. */
  private resolve: ((next: IteratorResult<StreamPart>) => void) | undefined;
  private reject: ((error: unknown) => void) | undefined;

  constructor(
    private readonly upstream: AsyncIterable<StreamPart> & { abort?(reason?: unknown): void },
    stallTimeoutMs: number | undefined,
    private readonly partial: () => StreamResult,
  ) {
    this.stallMs =
      stallTimeoutMs !== undefined && stallTimeoutMs > 0 && stallTimeoutMs !== Infinity ? stallTimeoutMs : undefined;
  }

  /** The next part, or the end. */
  next(): Promise<IteratorResult<StreamPart>> {
    if (this.iterator === undefined) {
      this.iterator = readOnce(this.upstream);
      if (this.stallMs !== undefined) {
        this.lastPart = performance.now();
        this.timer = setTimeout(this.check, this.stallMs);
      }
    }
    if (this.stallMs === undefined) return this.iterator.next();
    const iterator = this.iterator;
    // One promise per part, settled by whichever comes first; the callbacks are made once.
    return new Promise<IteratorResult<StreamPart>>((resolve, reject) => {
      if (this.stalled) {
        reject(this.stall());
        return;
      }
      this.resolve = resolve;
      this.reject = reject;
      iterator.next().then(this.onPart, this.onFailure);
    });
  }

  /** Ends the reading: its timer stops, and an upstream left early (`leftEarly`) is closed too. */
  async close(leftEarly: boolean): Promise<void> {
    clearTimeout(this.timer);
    this.settle();
    if (this.iterator === undefined || this.done || !leftEarly) return;
    this.done = true;
    if (this.stallMs === undefined) {
      // As `yield*` did: the upstream's return() is waited for.
      try {
        await this.iterator.return?.();
      } catch {
        // The reply is ending anyway; how the upstream's own ending fails changes nothing.
      }
    } else {
      void this.iterator.return?.()?.catch(() => {});
    }
  }

  private readonly onPart = (next: IteratorResult<StreamPart>): void => {
    const resolve = this.resolve;
    if (resolve === undefined) return;
    this.settle();
    if (next.done === true) {
      this.done = true;
      clearTimeout(this.timer);
    } else this.lastPart = performance.now();
    resolve(next);
  };

  private readonly onFailure = (error: unknown): void => {
    const reject = this.reject;
    if (reject === undefined) return;
    this.settle();
    this.done = true;
    clearTimeout(this.timer);
    reject(error);
  };

  private readonly check = (): void => {
    const stallMs = this.stallMs!;
    const quiet = performance.now() - this.lastPart;
    if (quiet < stallMs) {
      this.timer = setTimeout(this.check, stallMs - quiet);
      return;
    }
    this.stalled = true;
    const reject = this.reject;
    if (reject !== undefined) {
      this.settle();
      reject(this.stall());
    }
  };

  /** The read under way is answered: let go of it. */
  private settle(): void {
    this.resolve = undefined;
    this.reject = undefined;
  }

  /** Stops a stalled upstream, and the failure that says so. */
  private stall(): StreamError {
    this.done = true;
    clearTimeout(this.timer);
    this.upstream.abort?.(new Error('The upstream stalled.'));
    void this.iterator?.return?.()?.catch(() => {});
    return new StreamError(`The model sent nothing for ${this.stallMs} ms: it stalled.`, {
      kind: 'timeout',
      retryable: true,
      partial: this.partial(),
    });
  }
}
