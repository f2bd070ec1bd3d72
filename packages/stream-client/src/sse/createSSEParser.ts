/*
 * A Server-Sent Events parser that follows the WHATWG HTML standard's "Parsing an event stream"
 * and "Interpreting an event stream" exactly:
 * https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 *
 * It is built for the per-token hot path of an LLM stream, so every step is linear in the input:
 * each chunk is scanned once with cached `indexOf` positions, and a line split across chunks is
 * kept as a list of slices that is joined once, never rebuilt chunk by chunk.
 */
import type { ServerSentEvent } from './ServerSentEvent.js';
import { SSEParseError } from './SSEParseError.js';

/** What a parser reports as the stream is read. */
export interface SSEParserCallbacks {
  /** Called once per dispatched event, synchronously inside `feed()`, as soon as its blank line arrives. */
  onEvent(event: ServerSentEvent): void;
  /** Called when a valid `retry:` line (ASCII digits only) is processed, with the reconnection time in milliseconds. */
  onRetry?: ((milliseconds: number) => void) | undefined;
  /** Called for each `:` comment line (servers send them as keep-alives), with one leading space removed. */
  onComment?: ((text: string) => void) | undefined;
}

/** Options of {@link createSSEParser}. */
export interface SSEParserOptions extends SSEParserCallbacks {
  /**
   * The most one event may buffer before its blank line arrives: its data plus the unfinished line,
   * in UTF-16 code units of decoded text (never more than the UTF-8 bytes they came from, so an event
   * under the limit in bytes is never refused). Past it `feed()` throws an {@link SSEParseError} of
   * kind `event-too-large` instead of growing without bound. Defaults to 16 MiB; `Infinity` disables it.
   */
  maxEventBytes?: number | undefined;
  /** The last event ID to start from, for a stream that resumes an earlier one. */
  lastEventId?: string | undefined;
}

/** A push parser: hand it chunks as they arrive, and it calls back with events. */
export interface SSEParser {
  /**
   * Parses the next piece of the stream: bytes (decoded as UTF-8, a character split across chunks is
   * joined) or text that is already decoded. Feed one kind or the other for a given stream.
   * Exceptions thrown by callbacks propagate out of `feed()`.
   */
  feed(chunk: string | Uint8Array): void;
  /** Marks the end of the stream: an event without its closing blank line is discarded, as the standard says. */
  end(): void;
  /** Forgets everything of the current stream but the last event ID, ready to parse a reconnection. */
  reset(): void;
  /** The last event ID as of the latest dispatch: the value a reconnection sends as `Last-Event-ID`. */
  readonly lastEventId: string;
}

/** The default bound on one event's buffered size. */
export const DEFAULT_MAX_EVENT_BYTES = 16 * 1024 * 1024;

const LINE_FEED = 10;
const COLON = 58;
const SPACE = 32;
const BYTE_ORDER_MARK = 0xfeff;
/** Slices of an unfinished line are joined in groups this size, which keeps joining linear. */
const PENDING_GROUP_SIZE = 512;

/**
 * Creates a synchronous, callback-style Server-Sent Events parser. Use it on hot paths or when the
 * stream is already in hand as text or bytes; {@link parseSSE} wraps it as an async iterable.
 *
 * @example
 * ```ts
 * const parser = createSSEParser({ onEvent: (event) => console.log(event.type, event.data) });
 * parser.feed('data: hello\n\n');
 * parser.end();
 * ```
 */
export function createSSEParser(options: SSEParserOptions): SSEParser {
  // One check, one message: a bare function (the commonest slip) is no options object either.
  if (options === null || typeof options !== 'object' || typeof options.onEvent !== 'function') {
    throw new TypeError(
      'createSSEParser takes options with an onEvent callback: createSSEParser({ onEvent: yourFunction }).',
    );
  }
  const { onEvent, onRetry, onComment } = options;
  const maxEventSize = options.maxEventBytes ?? DEFAULT_MAX_EVENT_BYTES;
  if (typeof maxEventSize !== 'number' || !(maxEventSize > 0)) {
    throw new RangeError(`maxEventBytes must be a positive number or Infinity, not ${String(maxEventSize)}.`);
  }

  // The standard's "last event ID string" (updated at dispatch) and "last event ID buffer" (updated per line).
  let lastEventId = options.lastEventId ?? '';
  let eventIdBuffer = lastEventId;
  let eventTypeBuffer = '';
  let dataBuffer = '';
  let dataLineCount = 0;

  // An unfinished line: whole groups already joined, plus the slices of the group being filled.
  let pendingGroups: string[] = [];
  let pendingSlices: string[] = [];
  let pendingLength = 0;

  let decoder: TextDecoder | undefined;
  let started = false;
  let skipLeadingLineFeed = false;
  let ended = false;
  let failure: SSEParseError | undefined;

  function fail(): never {
    failure = new SSEParseError(
      'event-too-large',
      `An event grew past maxEventBytes (${maxEventSize}) before its closing blank line; the stream was stopped rather than buffered without bound.`,
      maxEventSize,
    );
    clearEvent();
    throw failure;
  }

  function clearEvent(): void {
    eventTypeBuffer = '';
    dataBuffer = '';
    dataLineCount = 0;
    pendingGroups = [];
    pendingSlices = [];
    pendingLength = 0;
  }

  function appendPending(text: string, from: number, to: number): void {
    pendingLength += to - from;
    if (pendingLength + dataBuffer.length > maxEventSize) fail();
    pendingSlices.push(from === 0 && to === text.length ? text : text.slice(from, to));
    if (pendingSlices.length === PENDING_GROUP_SIZE) {
      pendingGroups.push(pendingSlices.join(''));
      pendingSlices = [];
    }
  }

  function takePending(rest: string): string {
    const line =
      pendingGroups.length === 0 && pendingSlices.length === 1
        ? pendingSlices[0] + rest
        : pendingGroups.join('') + pendingSlices.join('') + rest;
    pendingGroups = [];
    pendingSlices = [];
    pendingLength = 0;
    return line;
  }

  function dispatch(): void {
    lastEventId = eventIdBuffer;
    if (dataLineCount === 0) {
      eventTypeBuffer = '';
      return;
    }
    const event: ServerSentEvent = { type: eventTypeBuffer || 'message', data: dataBuffer, lastEventId };
    eventTypeBuffer = '';
    dataBuffer = '';
    dataLineCount = 0;
    onEvent(event);
  }

  /** Processes the line `line[start, end)`. */
  function processLine(line: string, start: number, end: number): void {
    if (start === end) {
      dispatch();
      return;
    }
    if (line.charCodeAt(start) === COLON) {
      if (onComment !== undefined) {
        const textStart = start + 1 < end && line.charCodeAt(start + 1) === SPACE ? start + 2 : start + 1;
        onComment(line.slice(textStart, end));
      }
      return;
    }
    // Looking for the colon only as far as the line goes keeps this linear; a line without one
    // is a field whose value is the empty string.
    let nameEnd = start + 1;
    while (nameEnd < end && line.charCodeAt(nameEnd) !== COLON) nameEnd++;
    let valueStart = nameEnd + 1;
    if (valueStart < end && line.charCodeAt(valueStart) === SPACE) valueStart++;
    // Field names are compared by length first, then in place, so no name string is allocated.
    switch (nameEnd - start) {
      case 4:
        if (line.startsWith('data', start)) {
          const value = valueStart < end ? line.slice(valueStart, end) : '';
          if (dataBuffer.length + value.length + 1 > maxEventSize) fail();
          dataBuffer = dataLineCount === 0 ? value : dataBuffer + '\n' + value;
          dataLineCount++;
        }
        return;
      case 5:
        if (line.startsWith('event', start)) {
          eventTypeBuffer = valueStart < end ? line.slice(valueStart, end) : '';
        } else if (line.startsWith('retry', start)) {
          processRetry(line, valueStart, end);
        }
        return;
      case 2:
        if (line.startsWith('id', start)) {
          const value = valueStart < end ? line.slice(valueStart, end) : '';
          // A NUL in the value makes the standard ignore the whole field.
          if (!value.includes('\0')) eventIdBuffer = value;
        }
        return;
      default:
        // Unknown fields are ignored.
        return;
    }
  }

  /** A line ended at `text[end]`: processes it, with whatever of it arrived in earlier chunks. */
  function lineEnded(text: string, start: number, end: number): void {
    if (pendingLength === 0) {
      processLine(text, start, end);
    } else {
      const line = takePending(text.slice(start, end));
      processLine(line, 0, line.length);
    }
  }

  function processRetry(line: string, start: number, end: number): void {
    if (start >= end || onRetry === undefined) return;
    for (let index = start; index < end; index++) {
      const code = line.charCodeAt(index);
      if (code < 48 || code > 57) return;
    }
    const milliseconds = Number(line.slice(start, end));
    if (Number.isFinite(milliseconds)) onRetry(milliseconds);
  }

  function processText(text: string): void {
    const length = text.length;
    if (length === 0) return;
    let position = 0;
    if (!started) {
      started = true;
      if (text.charCodeAt(0) === BYTE_ORDER_MARK) position = 1;
    }
    if (skipLeadingLineFeed) {
      // The previous chunk ended in CR: an LF here completes that same line ending.
      skipLeadingLineFeed = false;
      if (text.charCodeAt(position) === LINE_FEED) position++;
    }
    let nextLineFeed = text.indexOf('\n', position);
    let nextCarriageReturn = text.indexOf('\r', position);
    if (nextCarriageReturn === -1) {
      // LF-only chunks, the usual case, take one search per line. (V8 also runs this loop several
      // times faster than the general one below; the benchmark shows it.)
      while (nextLineFeed !== -1) {
        lineEnded(text, position, nextLineFeed);
        position = nextLineFeed + 1;
        nextLineFeed = text.indexOf('\n', position);
      }
    } else {
      // Each search result is reused until the scan passes it, so the chunk is read once however
      // many lines it holds.
      while (position < length) {
        if (nextLineFeed !== -1 && nextLineFeed < position) nextLineFeed = text.indexOf('\n', position);
        if (nextCarriageReturn !== -1 && nextCarriageReturn < position) {
          nextCarriageReturn = text.indexOf('\r', position);
        }
        const end =
          nextLineFeed === -1
            ? nextCarriageReturn
            : nextCarriageReturn === -1 || nextLineFeed < nextCarriageReturn
              ? nextLineFeed
              : nextCarriageReturn;
        if (end === -1) break;
        lineEnded(text, position, end);
        position = end + 1;
        if (end === nextCarriageReturn) {
          if (position === length) {
            // The LF that may complete this CR LF is in the next chunk.
            skipLeadingLineFeed = true;
          } else if (text.charCodeAt(position) === LINE_FEED) {
            position++;
          }
        }
      }
    }
    if (position < length) appendPending(text, position, length);
  }

  return {
    feed(chunk) {
      if (failure !== undefined) throw failure;
      if (ended) {
        throw new SSEParseError('parser-ended', 'feed() was called after end(); call reset() to parse a new stream.');
      }
      if (typeof chunk === 'string') {
        processText(chunk);
      } else if (ArrayBuffer.isView(chunk)) {
        // ignoreBOM keeps a BOM in the text, so that one rule strips it for bytes and strings alike.
        decoder ??= new TextDecoder('utf-8', { ignoreBOM: true });
        processText(decoder.decode(chunk, { stream: true }));
      } else {
        throw new TypeError(`feed() takes a string or a Uint8Array, not ${describe(chunk)}.`);
      }
    },
    end() {
      if (ended) return;
      ended = true;
      // Whatever the decoder still holds is an unfinished character of an unfinished line: both are discarded.
      decoder?.decode();
      clearEvent();
      eventIdBuffer = lastEventId;
    },
    reset() {
      clearEvent();
      eventIdBuffer = lastEventId;
      decoder = undefined;
      started = false;
      skipLeadingLineFeed = false;
      ended = false;
      failure = undefined;
    },
    get lastEventId() {
      return lastEventId;
    },
  };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'an object';
  return typeof value;
}
