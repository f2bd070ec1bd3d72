import type { Decoder, ProviderFormat } from '../providers/Decoder.js';
import { loadDecoder } from '../providers/loadDecoder.js';
import type { DecoderFactory } from '../providers/loadDecoder.js';
import { recogniseFormat } from '../providers/recogniseFormat.js';
import { DecoderError } from '../providers/DecoderError.js';
import { isStreamId } from '../providers/isStreamId.js';
import type { StreamPart } from '../providers/StreamPart.js';
import { createSSEParser } from '../sse/createSSEParser.js';
import type { SSEParser } from '../sse/createSSEParser.js';
import type { ServerSentEvent } from '../sse/ServerSentEvent.js';
import { ResultAccumulator } from './ResultAccumulator.js';
import { resolveStreamLimits } from './StreamLimits.js';
import type { StreamLimits } from './StreamLimits.js';
import { backoffDelay, isRetryableStatus, resolveRetryPolicy } from './retryPolicy.js';
import type { RetryOptions, RetryPolicy } from './retryPolicy.js';
import { StreamError } from './StreamError.js';
import type { StreamErrorDetails, StreamErrorKind } from './StreamError.js';
import { MetricsRecorder } from './MetricsRecorder.js';
import { providerFailure } from './providerFailure.js';
import type { Pricing, StreamResult } from './StreamResult.js';
import type { TextStream, TextStreamListeners } from './TextStream.js';

/** Options of {@link streamText}. */
export interface StreamTextOptions {
  /** Where to send the request. */
  url: string | URL;
  /** The HTTP method; POST when there is a body, else GET. */
  method?: string | undefined;
  /**
   * Request headers: a `Headers`, a record, or name and value pairs. (Spelled out rather than the
   * DOM's `HeadersInit`, which a Node-only TypeScript setup does not have.)
   */
  headers?: Headers | Record<string, string> | ReadonlyArray<readonly [string, string]> | undefined;
  /**
   * The request body. Plain objects and arrays are sent as JSON; strings, `Blob`, `FormData`,
   * `URLSearchParams` and binary data are sent as they are. A `ReadableStream` body cannot be
   * sent again, so it rules out retries and resumption.
   */
  body?: unknown | undefined;
  /** The format of the stream, or `'auto'` (the default) to recognise it, or your own {@link Decoder}. */
  provider?: ProviderFormat | 'auto' | Decoder | undefined;
  /** Aborts the request when it aborts. */
  signal?: AbortSignal | undefined;
  /** The fetch to use: a test double, or one with your own agent or credentials. */
  fetch?: typeof fetch | undefined;
  /** Retries before the first token, and resumption after it; `false` for a single try. */
  retry?: RetryOptions | false | undefined;
  /** Fails with kind `timeout` when no bytes arrive for this long. */
  idleTimeoutMs?: number | undefined;
  /** Fails with kind `timeout` when no content token arrives this long after a request starts (pings do not count). */
  firstTokenTimeoutMs?: number | undefined;
  /**
   * Fails with kind `timeout` when no content (text, reasoning, a tool call) arrives for this long,
   * before the first token or between any two: pings, comments and a relay's keep-alives do not
   * count, so a model that stalls behind a server that keeps the connection alive is noticed.
   */
  contentTimeoutMs?: number | undefined;
  /** Prices per million tokens, for `result.cost`. */
  pricing?: Pricing | undefined;
  /** Bound on one event's size, passed to the SSE parser. */
  maxEventBytes?: number | undefined;
  /** Bounds on the choices, tool calls and parts one stream may make the client hold. */
  limits?: StreamLimits | undefined;
}

const EVENT_STREAM = /^\s*text\/event-stream\s*(;|$)/i;
/** Resumptions of one stream allowed in all, per try the retry policy allows. */
const MAX_RESUMES_PER_ATTEMPT = 4;
/**
 * How long a reply stopped before its header arrived is still read, only to learn its stream id
 * and tell the server to stop generating it.
 */
const NAME_WAIT_MS = 2_000;

type AttemptFailure = {
  kind: 'failed';
  details: Omit<StreamErrorDetails, 'partial'>;
  message: string;
  /**
   * Not to be retried by this client, however retryable: a failure a relay server reported (it
   * owns the retries towards its provider) or one the decoder recognised (a format mismatch, a
   * different reply on resumption), which asking again in the same way cannot mend.
   */
  final?: boolean | undefined;
  /** Tell the server to stop the reply, final or not: a client that cannot read it will not be back. */
  stopServer?: boolean | undefined;
};
type AttemptOutcome = { kind: 'finished' } | AttemptFailure;

/**
 * Streams an LLM answer: fetches, decodes whichever provider format arrives into text deltas and
 * other {@link StreamPart}s, retries before the first token, resumes with `Last-Event-ID` after it
 * when the stream carries event ids, and never hands out a token twice or loses one.
 *
 * The request starts at once. Read the stream by iterating it, with `on('text', ...)`, or by
 * awaiting `result()`.
 *
 * @example
 * ```ts
 * const stream = streamText({ url: '/api/chat', body: { messages }, provider: 'openai' });
 * stream.on('text', (delta) => output.append(delta));
 * const { text, usage, metrics } = await stream.result();
 * ```
 */
export function streamText(options: StreamTextOptions): TextStream {
  if (options === null || typeof options !== 'object' || options.url === undefined || options.url === '') {
    throw new TypeError('streamText needs options with a url: streamText({ url, body, provider }).');
  }
  return new StreamingText(options);
}

class StreamingText implements TextStream {
  private readonly options: StreamTextOptions;
  private readonly policy: RetryPolicy;
  private readonly fetch: typeof fetch;
  private readonly requestBody: BodyInit | null | undefined;
  /** Whether the body is a plain object or array, sent as JSON. */
  private readonly sendsJson: boolean;
  private readonly method: string;
  private readonly accumulator: ResultAccumulator;
  private readonly parts: StreamPart[] = [];
  private readonly listeners: { [Event in keyof TextStreamListeners]: Set<TextStreamListeners[Event]> } = {
    text: new Set(),
    part: new Set(),
    finish: new Set(),
    error: new Set(),
  };
  private readonly wakers = new Set<() => void>();
  /**
   * Iterators made so far: a reader that reads once lets parts go only while it is the only one;
   * -1 once it has, and no other may begin.
   */
  private iterators = 0;
  private readonly userAbort = new AbortController();
  private readonly outcome: Promise<StreamResult>;
  private resolveOutcome!: (result: StreamResult) => void;
  private rejectOutcome!: (error: StreamError) => void;

  /**
   * The decoder of the current attempt; `undefined` until `'auto'` has recognised the format
   * from the first event, or while the decoder of a provider's format is being loaded.
   */
  private decoder: Decoder | undefined;
  /** Loaded decoder factories, by format, for the fresh decoder each new request needs. */
  private readonly factories = new Map<string, DecoderFactory>();
  /** A decoder's code on its way; events wait in `queued` meanwhile. */
  private loading: Promise<void> | undefined;
  private loadFailure: unknown;
  private readonly queued: ServerSentEvent[] = [];
  /** The parser of the current attempt; a resumption keeps it, and with it the last event id. */
  private parser: SSEParser = createSSEParser({ onEvent: () => {} });
  private settled: { result: StreamResult } | { error: StreamError } | undefined;
  private aborted = false;
  private finished = false;
  private pendingFailure: AttemptFailure | undefined;
  /** Whether a request is out: its response may still name the reply. */
  private connected = false;
  /**
   * Stopped before the reply's header arrived: the connection is read on, out of sight, until the
   * header names the reply (so the server can be told to stop it) or `NAME_WAIT_MS` pass.
   */
  private awaitingName = false;
  /** When the latest bytes arrived, across attempts: the idle timeout runs on between them. */
  private lastBytesAt = now();
  /** When the latest attempt began: no content is expected before it. */
  private attemptStartedAt = now();

  private readonly metrics = new MetricsRecorder();

  constructor(options: StreamTextOptions) {
    this.options = options;
    this.accumulator = new ResultAccumulator(resolveStreamLimits(options.limits));
    this.policy = resolveRetryPolicy(options.retry);
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.sendsJson = isJsonBody(options.body);
    this.requestBody = this.sendsJson ? JSON.stringify(options.body) : (options.body as BodyInit | null | undefined);
    this.method = options.method ?? (options.body === undefined ? 'GET' : 'POST');
    this.chooseDecoder();
    if (options.signal !== undefined) {
      if (options.signal.aborted) this.abort(options.signal.reason);
      else options.signal.addEventListener('abort', () => this.abort(options.signal?.reason), { once: true });
    }
    // The outcome settles when the stream does, which a Stop may make happen before the run ends.
    this.outcome = new Promise<StreamResult>((resolve, reject) => {
      this.resolveOutcome = resolve;
      this.rejectOutcome = reject;
    });
    // A caller who only listens, or only iterates, must not see an unhandled rejection.
    this.outcome.catch(() => {});
    // However the run ends (even by an exception no one foresaw), the stream settles once, with a
    // StreamError: result(), every iterator and every listener.
    this.run().then(this.resolveOutcome, (error: unknown) => this.rejectOutcome(this.settleUnexpected(error)));
  }

  get text(): string {
    return this.accumulator.text;
  }

  on<Event extends keyof TextStreamListeners>(event: Event, listener: TextStreamListeners[Event]): () => void {
    const listeners = this.listeners[event] as Set<TextStreamListeners[Event]>;
    listeners.add(listener);
    return () => listeners.delete(listener);
  }

  abort(reason?: unknown): void {
    if (this.aborted || this.settled !== undefined) return;
    this.aborted = true;
    this.userAbort.abort(reason);
  }

  stop(reason?: unknown): void {
    if (this.aborted || this.settled !== undefined) return;
    // Stopped before the server named the reply: only its header can say which reply to stop.
    const format = this.decoder?.format ?? 'auto';
    if (this.accumulator.streamId === undefined && this.connected && (format === 'sluice' || format === 'auto')) {
      this.awaitingName = true;
    }
    this.stopOnServer();
    this.abort(reason);
  }

  /**
   * Tells a Sluice server that keeps this reply to stop generating it. Only a numbered reply is
   * kept (a reply without ids stops when its connection closes), and only its server knows the
   * reply by the id its header named. Nobody waits for the answer.
   */
  private stopOnServer(): void {
    const streamId = this.accumulator.streamId;
    if (streamId === undefined || this.parser.lastEventId === '' || !sendableInHeader(streamId)) return;
    const headers = new Headers(this.options.headers as ConstructorParameters<typeof Headers>[0]);
    headers.set('sluice-stop', streamId);
    this.fetch(this.options.url, { method: 'POST', headers }).then(
      (response) => void response.body?.cancel().catch(() => {}),
      () => {},
    );
  }

  result(): Promise<StreamResult> {
    return this.outcome;
  }

  /**
   * @param once - `true` from `relay`, which reads the stream once, as its only reader: the parts
   * it has passed are let go (a server relaying a long reply holds its text, not every part of it)
   */
  [Symbol.asyncIterator](once?: boolean): AsyncIterator<StreamPart> {
    // Parts already let go: an iterator now would begin in the middle, without saying so.
    if (this.iterators < 0) throw new TypeError('relay has read this stream: use on() or result() beside it.');
    let index = 0;
    this.iterators++;
    /** The iterator's next step if it can be taken now: a part, the end, or the failure; else `undefined`. */
    const step = (): IteratorResult<StreamPart> | { error: StreamError } | undefined => {
      if (index < this.parts.length) {
        const part = this.parts[index++]!;
        // Caught up, and no other iterator was ever made to read what is let go.
        if (once === true && index === this.parts.length && this.iterators < 2) {
          this.parts.length = index = 0;
          this.iterators = -1;
        }
        return { done: false, value: part };
      }
      const settled = this.settled;
      if (settled === undefined) return undefined;
      return 'error' in settled ? settled : { done: true, value: undefined };
    };
    const next = (): Promise<IteratorResult<StreamPart>> => {
      const ready = step();
      if (ready !== undefined) return 'error' in ready ? Promise.reject(ready.error) : Promise.resolve(ready);
      // A waiting iterator is answered from its waker, in one promise, rather than through a
      // promise of the wake and another chained on it: this runs once per part of every reply.
      // A waker is called after a part arrives or the stream settles, so it always has a step.
      return new Promise((resolve, reject) => {
        this.wakers.add(() => {
          const woken = step()!;
          if ('error' in woken) reject(woken.error);
          else resolve(woken);
        });
      });
    };
    return { next };
  }

  /** The whole life of the stream: attempts, retries and resumptions, then the outcome. */
  private async run(): Promise<StreamResult> {
    let lastEventId = '';
    let serverRetryMs: number | undefined;
    let retriesBeforeContent = 0;
    let resumesWithoutProgress = 0;
    // A server that ignores Last-Event-ID and replays the stream from its start always seems to
    // make progress: resumptions are bounded in all, not only while nothing new arrives.
    let resumes = 0;
    const createParser = () =>
      createSSEParser({
        onEvent: (event) => this.handleEvent(event),
        onRetry: (milliseconds) => (serverRetryMs = milliseconds),
        ...(this.options.maxEventBytes === undefined ? {} : { maxEventBytes: this.options.maxEventBytes }),
      });
    this.parser = createParser();

    for (;;) {
      const deltasBefore = this.accumulator.contentDeltas;
      const outcome = await this.attempt(this.parser, lastEventId);
      // An id that cannot travel in a header (any Unicode is legal in an event stream) is no point
      // to resume from: the reply is treated as one without ids.
      lastEventId = sendableInHeader(this.parser.lastEventId) ? this.parser.lastEventId : '';
      if (outcome.kind === 'finished') return this.succeed();
      if (this.aborted) return this.fail(ABORTED);

      const { details } = outcome;
      if (outcome.final === true) return this.fail(outcome);
      const canSendAgain = !(this.requestBody instanceof ReadableStream);
      // A stream with event ids is resumed, tokens or not: the server continues the same reply
      // rather than starting (and billing) a second one.
      const resumable = details.kind === 'network' || details.kind === 'timeout' || details.kind === 'truncated';
      if (this.accumulator.contentDeltas > deltasBefore) resumesWithoutProgress = 0;
      if (
        resumable &&
        lastEventId !== '' &&
        canSendAgain &&
        resumesWithoutProgress < this.policy.attempts - 1 &&
        resumes < this.policy.attempts * MAX_RESUMES_PER_ATTEMPT
      ) {
        resumesWithoutProgress++;
        resumes++;
        // The server's retry: field says how long to wait, but never past the policy's longest wait:
        // `retry: 2147483647` would otherwise leave the reader waiting for 24 days.
        const wait = Math.min(serverRetryMs ?? this.policy.baseDelayMs, this.policy.maxDelayMs);
        // The stream's timeouts run on while it waits: a wait longer than they allow ends in one.
        const timeout = this.timeoutWithin(wait);
        if (await this.sleep(timeout?.afterMs ?? wait)) return this.fail(ABORTED);
        if (timeout !== undefined) return this.fail(failed('timeout', true, timeout.why));
        this.parser.reset();
        continue;
      }
      if (!this.metrics.hasToken) {
        // Nothing was shown yet, so starting over repeats nothing.
        const wait = details.retryAfterMs ?? backoffDelay(retriesBeforeContent + 1, this.policy);
        const waitAllowed = details.retryAfterMs === undefined || details.retryAfterMs <= this.policy.maxDelayMs;
        if (details.retryable && canSendAgain && this.metrics.attempts < this.policy.attempts && waitAllowed) {
          retriesBeforeContent++;
          if (await this.sleep(wait)) return this.fail(ABORTED);
          // A fresh request is a fresh stream: nothing of the failed one may carry over.
          this.parser = createParser();
          lastEventId = '';
          serverRetryMs = undefined;
          this.chooseDecoder();
          continue;
        }
      }
      // Tokens were shown and the stream cannot be resumed: starting over would show them twice.
      return this.fail(outcome);
    }
  }

  /** One HTTP request and the reading of its stream. */
  private async attempt(parser: ReturnType<typeof createSSEParser>, lastEventId: string): Promise<AttemptOutcome> {
    this.metrics.attempts++;
    this.pendingFailure = undefined;
    this.attemptStartedAt = now();
    const connection = new AbortController();
    let nameWait: ReturnType<typeof setTimeout> | undefined;
    const abortConnection = () => {
      if (!this.awaitingName) {
        connection.abort(this.userAbort.signal.reason);
        return;
      }
      // The person sees the reply stopped at once; the connection stays open only until the
      // reply's header names it, so the server can be told to stop generating it.
      this.settleWith(this.abortedError());
      nameWait = setTimeout(() => {
        this.awaitingName = false;
        connection.abort(this.userAbort.signal.reason);
      }, NAME_WAIT_MS);
    };
    this.userAbort.signal.addEventListener('abort', abortConnection);
    let timedOut: string | undefined;
    const timers = this.startTimers((why) => {
      timedOut = why;
      connection.abort(new Error(why));
    });
    let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
    try {
      if (this.aborted) return ABORTED;
      const headers = new Headers(this.options.headers as ConstructorParameters<typeof Headers>[0]);
      if (!headers.has('accept')) headers.set('accept', 'text/event-stream');
      if (this.sendsJson && !headers.has('content-type')) headers.set('content-type', 'application/json');
      if (lastEventId !== '') headers.set('last-event-id', lastEventId);
      let response: Response;
      this.connected = true;
      try {
        response = await this.fetch(this.options.url, {
          method: this.method,
          headers,
          ...(this.requestBody === undefined ? {} : { body: this.requestBody }),
          signal: connection.signal,
        });
      } catch (error) {
        return this.connectionFailure(error, timedOut, 'The request failed before any response');
      }
      if (!response.ok || !EVENT_STREAM.test(response.headers.get('content-type') ?? '') || response.body === null) {
        return await refused(response);
      }
      const bodyReader = response.body.getReader();
      reader = bodyReader;
      // A body that is not tied to the request's signal (a test double, some runtimes' streams)
      // must still stop at once on abort or timeout: cancel it directly too.
      connection.signal.addEventListener(
        'abort',
        () => void bodyReader.cancel(connection.signal.reason).catch(() => {}),
        {
          once: true,
        },
      );
      for (;;) {
        let read: ReadableStreamReadResult<Uint8Array>;
        try {
          read = await reader.read();
        } catch (error) {
          return this.connectionFailure(error, timedOut, 'The connection dropped mid-stream');
        }
        if (connection.signal.aborted)
          return this.connectionFailure(connection.signal.reason, timedOut, 'The connection was closed');
        if (read.done) {
          reader = undefined;
          parser.end();
          await this.decodeQueued();
          if (this.pendingFailure !== undefined) return this.pendingFailure;
          if (this.finished) return { kind: 'finished' };
          return failed(
            'truncated',
            true,
            `The stream closed before its end (no ${terminalSignal(this.decoder?.format ?? 'auto')} arrived): the answer was cut short.`,
          );
        }
        this.metrics.chunks++;
        this.metrics.bytes += read.value.byteLength;
        this.lastBytesAt = now();
        try {
          parser.feed(read.value);
        } catch (error) {
          if (this.pendingFailure === undefined) {
            return failed('protocol', false, `The event stream could not be read: ${errorMessage(error)}`, {
              cause: error,
            });
          }
        }
        // Only while a decoder's code loads do events wait: otherwise no promise per chunk.
        if (this.loading !== undefined) await this.decodeQueued();
        if (this.pendingFailure !== undefined) return this.pendingFailure;
        if (this.aborted && !this.awaitingName) return ABORTED;
      }
    } finally {
      this.connected = false;
      this.awaitingName = false;
      clearTimeout(nameWait);
      timers.stop();
      this.userAbort.signal.removeEventListener('abort', abortConnection);
      // Aborting cancels the body (see the listener above), which closes the connection, so the
      // server stops generating what nobody will read.
      if (reader !== undefined) connection.abort();
    }
  }

  private connectionFailure(error: unknown, timedOut: string | undefined, what: string): AttemptOutcome {
    if (this.aborted) return ABORTED;
    if (timedOut !== undefined) return failed('timeout', true, timedOut);
    return failed('network', true, `${what}: ${errorMessage(error)}`, { cause: error });
  }

  /**
   * The first of the idle and content timeouts that falls within `milliseconds` from now, if
   * one does: when it falls, and what it says. Idle time counts from `idleSince`.
   */
  private timeoutWithin(
    milliseconds: number,
    idleSince = this.lastBytesAt,
  ): { afterMs: number; why: string } | undefined {
    const { idleTimeoutMs, contentTimeoutMs } = this.options;
    const at = now();
    let first: { afterMs: number; why: string } | undefined;
    if (idleTimeoutMs !== undefined) {
      const afterMs = Math.max(0, idleTimeoutMs - (at - idleSince));
      if (afterMs <= milliseconds)
        first = { afterMs, why: `No data arrived for ${idleTimeoutMs} ms: the stream stalled.` };
    }
    if (contentTimeoutMs !== undefined) {
      const since = Math.max(this.attemptStartedAt, this.metrics.lastTokenTime ?? 0);
      const afterMs = Math.max(0, contentTimeoutMs - (at - since));
      if (afterMs <= milliseconds && (first === undefined || afterMs < first.afterMs)) {
        first = { afterMs, why: `No content arrived for ${contentTimeoutMs} ms: the model stalled.` };
      }
    }
    return first;
  }

  /**
   * The attempt's idle, content and first-token timers. Bytes arriving only record a time (the
   * read loop's `lastBytesAt`): the one timer, when it fires early, re-arms itself for what is
   * then the first timeout due.
   */
  private startTimers(onTimeout: (why: string) => void) {
    const firstTokenMs = this.metrics.hasToken ? undefined : this.options.firstTokenTimeoutMs;
    // Each attempt has the whole idle time to connect; then it counts from the latest bytes.
    const started = now();
    const idleSince = () => Math.max(started, this.lastBytesAt);
    let timer: ReturnType<typeof setTimeout> | undefined;
    let firstTokenTimer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      const first = this.timeoutWithin(Infinity, idleSince());
      if (first === undefined) return;
      timer = setTimeout(() => {
        const due = this.timeoutWithin(0, idleSince());
        if (due === undefined) arm();
        else onTimeout(due.why);
      }, first.afterMs);
    };
    arm();
    if (firstTokenMs !== undefined) {
      firstTokenTimer = setTimeout(() => {
        if (!this.metrics.hasToken) onTimeout(`No token arrived within ${firstTokenMs} ms of the request.`);
      }, firstTokenMs);
    }
    return {
      stop: () => {
        clearTimeout(timer);
        clearTimeout(firstTokenTimer);
      },
    };
  }

  private handleEvent(event: ServerSentEvent): void {
    if (this.aborted && this.awaitingName) {
      this.learnName(event);
      return;
    }
    if (this.pendingFailure !== undefined || this.aborted) return;
    try {
      const decoder = this.decoder ?? this.recognise(event);
      if (decoder === undefined) {
        // Its decoder is on its way: the event waits, in order, with any after it.
        this.queued.push(event);
        return;
      }
      decoder.decode(event, this.handlePart);
    } catch (error) {
      if (this.pendingFailure !== undefined) return;
      if (error instanceof DecoderError) {
        this.pendingFailure = { ...failed(error.kind, error.retryable, error.message), final: true };
        // A Sluice server's reply read with another provider's decoder: it is never going to be
        // read, so the server is told to stop generating it now rather than for nobody.
        if (event.type === 'sluice' && this.accumulator.streamId === undefined) {
          const streamId = headerStreamId(event.data);
          if (streamId !== undefined) {
            this.accumulator.streamId = streamId;
            this.pendingFailure.stopServer = true;
          }
        }
        return;
      }
      const data = event.data.length > 120 ? `${event.data.slice(0, 120)}…` : event.data;
      this.pendingFailure = failed(
        'protocol',
        false,
        `A ${this.decoder?.format ?? 'auto'} event could not be decoded (${errorMessage(error)}); its data was: ${data}`,
        { cause: error },
      );
    }
  }

  /**
   * A fresh decoder for a new request: the one given, the format's (loaded on first use), or none
   * yet for `'auto'`, which the first event chooses.
   */
  private chooseDecoder(): void {
    const provider = this.options.provider;
    this.decoder = undefined;
    this.queued.length = 0;
    if (provider !== undefined && provider !== null && typeof provider === 'object') {
      if (typeof provider.decode !== 'function') {
        throw new TypeError('provider must be a format name or a Decoder with a decode(event, emit) method.');
      }
      this.decoder = provider;
      return;
    }
    if (provider === undefined || provider === 'auto') return;
    this.useFormat(provider);
  }

  /** Decodes with `format`'s decoder: at once when its code is here, else once it has loaded. */
  private useFormat(format: ProviderFormat): void {
    const known = this.factories.get(format);
    const factory = known ?? loadDecoder(format);
    if (typeof factory === 'function') {
      this.factories.set(format, factory);
      this.decoder = factory();
      return;
    }
    this.loading = factory.then(
      (loaded) => {
        this.factories.set(format, loaded);
        this.decoder = loaded();
      },
      (error: unknown) => {
        this.loadFailure = error;
      },
    );
  }

  /** For `'auto'`: the format the first event shows, and its decoder when it is at hand. */
  private recognise(event: ServerSentEvent): Decoder | undefined {
    if (this.loading !== undefined) return undefined;
    const format = recogniseFormat(event);
    if (format === undefined) {
      if (event.type === 'ping') return { format: 'auto', decode() {} };
      throw new SyntaxError('the stream is in none of the formats provider "auto" recognises');
    }
    this.useFormat(format);
    return this.decoder;
  }

  /** Once a decoder has loaded, decodes the events that waited for it. */
  private async decodeQueued(): Promise<void> {
    const loading = this.loading;
    if (loading === undefined) return;
    await loading;
    this.loading = undefined;
    if (this.loadFailure !== undefined) {
      this.pendingFailure ??= {
        ...failed(
          'network',
          true,
          `The decoder for the stream could not be loaded: ${errorMessage(this.loadFailure)}`,
          {
            cause: this.loadFailure,
          },
        ),
        final: true,
      };
      return;
    }
    for (const event of this.queued.splice(0)) this.handleEvent(event);
  }

  /**
   * For a reply stopped before it was named: its header, once it arrives, says which reply the
   * server should stop; then the connection closes.
   */
  private learnName(event: ServerSentEvent): void {
    // A sluice reply's header is its first event: a stream that begins otherwise names nothing.
    this.awaitingName = false;
    if (event.type !== 'sluice') return;
    const streamId = headerStreamId(event.data);
    if (streamId === undefined) return;
    this.accumulator.streamId = streamId;
    this.stopOnServer();
  }

  /** Every part passes here: into the result, the metrics, the iterators and the listeners. */
  private readonly handlePart = (part: StreamPart): void => {
    if (this.pendingFailure !== undefined || this.aborted) return;
    const excess = this.accumulator.excess(part);
    if (excess !== undefined) {
      this.pendingFailure = { ...failed('protocol', false, `The stream was refused: ${excess}.`), final: true };
      return;
    }
    if (part.type === 'error') {
      // A failure a Sluice server reported (it names its kind) is its final word: it has retried.
      this.pendingFailure = {
        kind: 'failed',
        ...providerFailure(part),
        ...(part.kind === undefined ? {} : { final: true }),
      };
      return;
    }
    if (this.accumulator.add(part)) {
      this.metrics.token();
    } else if (part.type === 'finish' && (part.choice === undefined || part.choice === 0)) {
      this.finished = true;
    }
    this.parts.push(part);
    if (this.wakers.size > 0) this.wakeAll();
    if (this.listeners.part.size > 0) for (const listener of this.listeners.part) call(listener, part);
    if (part.type === 'text-delta' && (part.choice === undefined || part.choice === 0)) {
      for (const listener of this.listeners.text) call(listener, part.text, this.accumulator.text);
    }
  };

  private snapshot(): StreamResult {
    return this.accumulator.snapshot(this.metrics.snapshot(this.accumulator.outputTokens), this.options.pricing);
  }

  private succeed(): StreamResult {
    this.metrics.end();
    const result = this.snapshot();
    this.settled = { result };
    this.resolveOutcome(result);
    this.wakeAll();
    for (const listener of this.listeners.finish) call(listener, result);
    return result;
  }

  private fail({ message, details, final, stopServer }: AttemptFailure): never {
    if (this.settled !== undefined && 'error' in this.settled) throw this.settled.error;
    // The client gives up a reply the server may still be generating (a connection it could not
    // get back, a stream it could not read): the server should not go on for nobody.
    if (
      stopServer === true ||
      (final !== true && !this.aborted && ['network', 'timeout', 'truncated', 'protocol'].includes(details.kind))
    ) {
      this.stopOnServer();
    }
    this.metrics.end();
    throw this.settleWith(new StreamError(message, { ...details, partial: this.snapshot() }));
  }

  /** The failure of a stream aborted by its reader, with what had arrived. */
  private abortedError(): StreamError {
    this.metrics.end();
    return new StreamError(ABORTED.message, { ...ABORTED.details, partial: this.snapshot() });
  }

  /** Settles as failed, once: wakes the iterators and tells the error listeners. */
  private settleWith(error: StreamError): StreamError {
    if (this.settled !== undefined) return 'error' in this.settled ? this.settled.error : error;
    this.settled = { error };
    this.rejectOutcome(error);
    this.wakeAll();
    if (!this.aborted) for (const listener of this.listeners.error) call(listener, error);
    return error;
  }

  /**
   * The failure for an exception the run did not expect (a defect of ours, or input that defeated
   * a check): kind `protocol`, the exception as its cause, whatever had arrived kept.
   */
  private settleUnexpected(error: unknown): StreamError {
    const settled = this.settled;
    if (settled !== undefined) {
      if ('error' in settled) return settled.error;
      // Settled whole, then something threw: the whole result stands.
      return error instanceof StreamError
        ? error
        : new StreamError(errorMessage(error), {
            kind: 'protocol',
            retryable: false,
            partial: settled.result,
            cause: error,
          });
    }
    this.metrics.end();
    let partial: StreamResult;
    try {
      partial = this.snapshot();
    } catch {
      partial = this.accumulator.textOnly(this.metrics.snapshot(this.accumulator.outputTokens));
    }
    const reason = this.aborted ? 'aborted' : 'protocol';
    const message = this.aborted ? 'The stream was aborted.' : `The stream could not be read: ${errorMessage(error)}`;
    return this.settleWith(new StreamError(message, { kind: reason, retryable: false, partial, cause: error }));
  }

  private wakeAll(): void {
    for (const wake of this.wakers) wake();
    this.wakers.clear();
  }

  /** Waits, unless the caller aborts first; returns whether it was aborted. */
  private sleep(milliseconds: number): Promise<boolean> {
    const signal = this.userAbort.signal;
    if (signal.aborted) return Promise.resolve(true);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(false);
      }, milliseconds);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}

/**
 * Calls a listener; what it throws is its own fault and must not change the stream, so it is
 * thrown again on its own, as an uncaught error the runtime reports.
 */
function call<Arguments extends unknown[]>(listener: (...values: Arguments) => void, ...values: Arguments): void {
  try {
    listener(...values);
  } catch (error) {
    queueMicrotask(() => {
      throw error;
    });
  }
}

/** The stream id a `sluice` header's data names, when it is one that can be sent back in a header. */
function headerStreamId(data: string): string | undefined {
  try {
    const streamId = (JSON.parse(data) as { streamId?: unknown } | null)?.streamId;
    return isStreamId(streamId) ? streamId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Whether a value survives as an HTTP header value unchanged: Latin-1 only (`Headers` throws on
 * anything else), no control characters, and no space at either end (which `Headers` would trim).
 */
function sendableInHeader(value: string): boolean {
  return /^(?:[\x21-\x7e\x80-\xff](?:[\x20-\x7e\x80-\xff]*[\x21-\x7e\x80-\xff])?)?$/.test(value);
}

function now(): number {
  return performance.now();
}

function isJsonBody(body: unknown): boolean {
  if (body === null || typeof body !== 'object') return false;
  const prototype = Object.getPrototypeOf(body) as unknown;
  return Array.isArray(body) || prototype === Object.prototype || prototype === null;
}

function failed(
  kind: StreamErrorKind,
  retryable: boolean,
  message: string,
  more: Partial<Omit<StreamErrorDetails, 'kind' | 'retryable' | 'partial'>> = {},
): AttemptFailure {
  return { kind: 'failed', message, details: { kind, retryable, ...more } };
}

const ABORTED = failed('aborted', false, 'The stream was aborted.');

/** The failure for a response that is not a stream to read, from the code loaded for it. */
async function refused(response: Response): Promise<AttemptFailure> {
  let module: typeof import('./refusedResponse.js');
  try {
    module = await import('./refusedResponse.js');
  } catch {
    // Its code could not be loaded (a redeployed site's old chunk): the status alone still says enough.
    void response.body?.cancel().catch(() => {});
    return response.ok
      ? failed('protocol', false, 'Expected an event stream (text/event-stream) from the server.')
      : failed('http', isRetryableStatus(response.status), `HTTP ${response.status}`, { status: response.status });
  }
  const { kind, retryable, message, ...details } = await module.refusedResponse(response);
  return failed(kind, retryable, message, details);
}

function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? ` (${error.cause.message})` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function terminalSignal(format: string): string {
  switch (format) {
    case 'openai':
      return 'finish_reason or [DONE]';
    case 'anthropic':
      return 'message_stop';
    case 'openai-responses':
      return 'response.completed';
    default:
      return 'finish event';
  }
}
