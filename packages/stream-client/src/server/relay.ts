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
  error?: StreamError;
}

/** Options of {@link relay}. */
export interface RelayOptions {
  /** The reply's stream id, for the header; a random one by default. A store of replies mints its own. */
  streamId?: string;
  /** Asks clients to wait this long before reconnecting after a drop, in milliseconds. */
  retryMs?: number;
  /**
   * Called once when the reply ends, however it ends, before the response closes: persist the
   * reply and its usage here. What it throws goes to `onError`, never to the client.
   */
  onFinish?(ending: RelayEnding): void | Promise<void>;
  /**
   * Called with each failure: the upstream's `StreamError`, or anything else that was thrown (the
   * client is told only that the server failed). By default, failures are logged with
   * `console.error`, their secrets redacted.
   */
  onError?(error: unknown): void;
  /** Replaces secrets (an API key) in what is sent to the client or logged. */
  redact?: Redact;
}

/**
 * Turns any stream of parts (a `streamText` of any provider, or your own) into the `sluice`
 * protocol: a header naming the protocol version and the reply's stream id, then one event per
 * part. A failure upstream is written as an `error` event that keeps its kind, never as a silent
 * close; a client that stops listening aborts the upstream request.
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
export async function* relay(
  upstream: AsyncIterable<StreamPart> & { abort?(reason?: unknown): void },
  options: RelayOptions = {},
): AsyncGenerator<OutgoingServerSentEvent, void, undefined> {
  const streamId = options.streamId ?? globalThis.crypto.randomUUID();
  const redact = options.redact ?? ((text: string) => text);
  const accumulator = new ResultAccumulator();
  const metrics = new MetricsRecorder();
  metrics.attempts = 1;
  const snapshot = () => accumulator.snapshot(metrics.snapshot(accumulator.outputTokens), undefined);
  let status: RelayEnding['status'] | undefined;
  let failure: StreamError | undefined;
  try {
    const header = sluiceEvent({ type: 'sluice', version: SLUICE_PROTOCOL_VERSION, streamId });
    if (options.retryMs !== undefined) header.retry = options.retryMs;
    yield header;
    for await (const part of upstream) {
      // A sluice upstream's own header: this relay has written the header of its reply.
      if (part.type === 'sluice') continue;
      if (part.type === 'error') {
        const { message, details } = providerFailure(part);
        throw new StreamError(message, { ...details, partial: snapshot() });
      }
      if (accumulator.add(part)) metrics.token();
      yield sluiceEvent(part);
    }
    status = 'done';
  } catch (error) {
    if (error instanceof StreamError && error.kind === 'aborted') {
      // The reply was abandoned (its signal aborted): nobody is left to tell, and nothing failed.
      status = 'stopped';
      return;
    }
    status = 'failed';
    metrics.end();
    failure =
      error instanceof StreamError
        ? error
        : new StreamError('The server failed while streaming the answer.', {
            kind: 'http',
            status: 500,
            retryable: true,
            relayed: false,
            partial: snapshot(),
            cause: error,
          });
    report(options, error, redact);
    yield errorEvent(error, redact);
  } finally {
    metrics.end();
    if (status === undefined) {
      // Left early: the client went away, so the provider should stop generating (and billing).
      status = 'stopped';
      upstream.abort?.(new Error('The client disconnected.'));
    }
    if (options.onFinish !== undefined) {
      const ending: RelayEnding = { streamId, status, result: snapshot() };
      if (failure !== undefined) ending.error = failure;
      try {
        await options.onFinish(ending);
      } catch (error) {
        report(options, error, redact);
      }
    }
  }
}

/** Hands a failure to `onError`, or logs it without its secrets. */
function report(options: RelayOptions, error: unknown, redact: Redact): void {
  if (options.onError !== undefined) options.onError(error);
  else reportFailure('sluice relay', error, redact);
}
