import { SLUICE_PROTOCOL_VERSION } from '../providers/createSluiceDecoder.js';
import { sluiceEvent } from '../providers/sluiceEvent.js';
import type { StreamPart } from '../providers/StreamPart.js';
import { formatServerSentEvent } from '../sse/formatServerSentEvent.js';
import { streamBlocks } from './streamBlocks.js';

/** Options of {@link partsStream}. */
export interface PartsStreamOptions {
  /** The wait before each event, in milliseconds; default 0. */
  delayMs?: number | undefined;
  /** The reply's stream id in the header; default `mock-parts`. */
  streamId?: string | undefined;
  /** Aborting it errors the stream, as a dropped connection would. */
  signal?: AbortSignal | undefined;
  /**
   * How it ends after the parts: `close` (default, after a `finish` added when the parts have none),
   * `stall` (stays open and silent), or `drop` (errors as a reset connection would).
   */
  ending?: 'close' | 'stall' | 'drop' | undefined;
}

/**
 * A reply in the `sluice` protocol made of exactly the parts you give (tool calls, approvals,
 * sources, server tools, files, data, steps), as bytes: what `createChatHandler` would send, for
 * testing a UI of parts without a model. A `finish` is added when the parts have none.
 *
 * @example
 * ```ts
 * const body = partsStream([
 *   { type: 'tool-call-start', id: 'call_1', name: 'weather' },
 *   { type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"city":"Paris"}' },
 *   { type: 'tool-approval-request', id: 'call_1' },
 * ], { delayMs: 20 });
 * ```
 */
export function partsStream(
  parts: readonly StreamPart[],
  options: PartsStreamOptions = {},
): ReadableStream<Uint8Array> {
  const header: StreamPart = {
    type: 'sluice',
    version: SLUICE_PROTOCOL_VERSION,
    streamId: options.streamId ?? 'mock-parts',
  };
  const ending: StreamPart[] = parts.some((part) => part.type === 'finish')
    ? []
    : [{ type: 'finish', finishReason: 'stop' }];
  const blocks = [header, ...parts, ...ending].map((part) => formatServerSentEvent(sluiceEvent(part)));
  return streamBlocks(blocks, options.delayMs ?? 0, options.signal);
}
