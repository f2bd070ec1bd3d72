import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { StreamPart } from '../providers/StreamPart.js';
import type { OutgoingServerSentEvent } from '../sse/formatServerSentEvent.js';
import { errorEvent } from './errorEvent.js';

/** Options of {@link relay}. */
export interface RelayOptions {
  /** Asks clients to wait this long before reconnecting after a drop, in milliseconds. */
  retryMs?: number;
}

/**
 * Turns any stream of parts (a `streamText` of any provider, or your own) into the `sluice`
 * protocol: one event per part, each with an `id:` so a client can resume. A failure upstream is
 * written as an `error` event, never a silent close; a client that stops listening aborts the
 * upstream request.
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
  let sequence = 0;
  let finished = false;
  try {
    for await (const part of upstream) {
      const event = sluiceEvent(part, String(sequence++));
      if (sequence === 1 && options.retryMs !== undefined) event.retry = options.retryMs;
      yield event;
    }
    finished = true;
  } catch (error) {
    finished = true;
    yield errorEvent(error, String(sequence++));
  } finally {
    // Left early: the client went away, so the provider should stop generating (and billing).
    if (!finished) upstream.abort?.(new Error('The client disconnected.'));
  }
}
