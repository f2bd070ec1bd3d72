import type { StreamErrorKind } from '../transport/StreamError.js';
import type { Decoder } from './Decoder.js';
import { DecoderError } from './DecoderError.js';
import { formatMismatch } from './formatMismatch.js';
import type { FinishReason, StreamPart, ToolCall, Usage } from './StreamPart.js';
import { sluiceEventNames } from './recogniseFormat.js';

/** The version of the `sluice` protocol this client reads and the server half writes. */
export const SLUICE_PROTOCOL_VERSION = 1;

const finishReasons: ReadonlySet<string> = new Set<FinishReason>([
  'stop',
  'length',
  'tool-calls',
  'content-filter',
  'other',
]);
const errorKinds: ReadonlySet<string> = new Set<StreamErrorKind>([
  'http',
  'network',
  'timeout',
  'aborted',
  'provider',
  'protocol',
  'truncated',
  'restarted',
  'gone',
]);

type Fields = Record<string, unknown>;

/**
 * Decodes the `sluice` protocol that the server half writes. A reply begins with a `sluice` event
 * naming the protocol version and the reply's stream id; then comes one event per
 * {@link StreamPart}, named after the part's type, its other fields as JSON. When the server keeps
 * replies for resumption, every event has an id `<streamId>:<sequence>`.
 *
 * The decoder holds the reply's identity across reconnections: events of another stream, or a
 * second header for another reply, fail with kind `restarted` instead of being appended to the
 * text already shown; events at or below the last sequence seen are dropped, so a server that
 * replays too much never repeats a token. Each part is checked against its documented shape.
 */
export function createSluiceDecoder(): Decoder {
  let streamId: string | undefined;
  let lastSequence = -1;

  function restarted(other: string): DecoderError {
    return new DecoderError(
      `The reconnection delivered a different reply (stream ${other}, not ${streamId}), so it was not appended to the text received before.`,
      'restarted',
      true,
    );
  }

  return {
    format: 'sluice',
    decode(event, emit) {
      if (!sluiceEventNames.has(event.type) && event.type !== 'error') {
        formatMismatch(event, 'sluice');
        return;
      }
      const id = event.lastEventId;
      if (id !== '') {
        const colon = id.lastIndexOf(':');
        const stream = colon === -1 ? undefined : id.slice(0, colon);
        if (stream !== undefined && streamId !== undefined && stream !== streamId) throw restarted(stream);
        const sequence = Number(colon === -1 ? id : id.slice(colon + 1));
        // An event without an id of its own carries the previous one, so on a resumed connection an
        // error the server sends without an id (the reply is gone) would look like a replay of the
        // last event: errors are never dropped, since a failure is never a repeated token.
        if (Number.isInteger(sequence) && event.type !== 'error') {
          if (sequence <= lastSequence) return;
          lastSequence = sequence;
        }
      }
      const data: unknown = JSON.parse(event.data);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new SyntaxError(`a sluice "${event.type}" event must carry a JSON object`);
      }
      const part = readPart(event.type, data as Fields);
      if (part.type === 'sluice') {
        if (part.version > SLUICE_PROTOCOL_VERSION) {
          throw new DecoderError(
            `The server speaks version ${part.version} of the sluice protocol; this client reads version ${SLUICE_PROTOCOL_VERSION}. Update @sluice/stream-client.`,
            'protocol',
            false,
          );
        }
        if (streamId === undefined) streamId = part.streamId;
        else if (part.streamId !== streamId) throw restarted(part.streamId);
        // The same reply from its beginning: the sequence check above drops what was delivered.
        else return;
      }
      emit(part);
    },
  };
}

/** A part built from the fields its type documents, each checked; anything else is left behind. */
function readPart(type: string, fields: Fields): StreamPart {
  switch (type) {
    case 'sluice':
      return {
        type,
        version: positiveInteger(fields, 'version', type),
        streamId: requiredString(fields, 'streamId', type),
      };
    case 'start':
      return { type, ...optionalString(fields, 'id', type), ...optionalString(fields, 'model', type) };
    case 'text-delta':
    case 'refusal-delta':
      return { type, text: requiredString(fields, 'text', type), ...choice(fields, type) };
    case 'reasoning-delta':
      return { type, text: requiredString(fields, 'text', type) };
    case 'tool-call-start':
      return {
        type,
        id: requiredString(fields, 'id', type),
        name: requiredString(fields, 'name', type),
        ...choice(fields, type),
      };
    case 'tool-call-delta':
      return {
        type,
        id: requiredString(fields, 'id', type),
        argumentsDelta: requiredString(fields, 'argumentsDelta', type),
      };
    case 'tool-call':
      return { type, toolCall: readToolCall(fields['toolCall']) };
    case 'usage':
      return { type, usage: readUsage(fields['usage']) };
    case 'finish': {
      const reason = fields['finishReason'];
      return {
        type,
        finishReason: typeof reason === 'string' && finishReasons.has(reason) ? (reason as FinishReason) : 'other',
        ...optionalString(fields, 'rawFinishReason', type),
        ...choice(fields, type),
      };
    }
    default:
      return readError(fields);
  }
}

function readError(fields: Fields): StreamPart {
  const kind = fields['kind'];
  const status = fields['status'];
  const retryAfterMs = fields['retryAfterMs'];
  const message = fields['message'];
  return {
    type: 'error',
    message: typeof message === 'string' && message !== '' ? message : 'The server reported an error.',
    ...optionalString(fields, 'errorType', 'error'),
    retryable: fields['retryable'] === true,
    // A kind this client does not know is still a failure the server reported: say so plainly.
    ...(kind === undefined
      ? {}
      : { kind: typeof kind === 'string' && errorKinds.has(kind) ? (kind as StreamErrorKind) : 'provider' }),
    ...(Number.isInteger(status) && (status as number) >= 100 && (status as number) <= 599
      ? { status: status as number }
      : {}),
    ...(typeof retryAfterMs === 'number' && retryAfterMs >= 0 && Number.isFinite(retryAfterMs) ? { retryAfterMs } : {}),
    ...(fields['relayed'] === false ? { relayed: false } : {}),
  };
}

function readToolCall(value: unknown): ToolCall {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('a sluice "tool-call" event must carry a "toolCall" object');
  }
  const fields = value as Fields;
  const call = fields['choice'];
  return {
    id: requiredString(fields, 'id', 'tool-call'),
    name: requiredString(fields, 'name', 'tool-call'),
    arguments: fields['arguments'],
    argumentsText: requiredString(fields, 'argumentsText', 'tool-call'),
    choice: Number.isInteger(call) && (call as number) >= 0 ? (call as number) : 0,
  };
}

function readUsage(value: unknown): Partial<Usage> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SyntaxError('a sluice "usage" event must carry a "usage" object');
  }
  const fields = value as Fields;
  const usage: Partial<Usage> = {};
  for (const key of ['inputTokens', 'outputTokens'] as const) {
    const count = fields[key];
    if (count === undefined) continue;
    if (typeof count !== 'number' || !Number.isFinite(count) || count < 0) {
      throw new SyntaxError(`a sluice "usage" event's ${key} must be a count`);
    }
    usage[key] = count;
  }
  return usage;
}

function requiredString(fields: Fields, key: string, type: string): string {
  const value = fields[key];
  if (typeof value !== 'string') throw new SyntaxError(`a sluice "${type}" event must carry a "${key}" string`);
  return value;
}

function optionalString<Key extends string>(fields: Fields, key: Key, type: string): { [K in Key]?: string } {
  const value = fields[key];
  if (value === undefined) return {};
  if (typeof value !== 'string') throw new SyntaxError(`a sluice "${type}" event's "${key}" must be a string`);
  return { [key]: value } as { [K in Key]?: string };
}

function positiveInteger(fields: Fields, key: string, type: string): number {
  const value = fields[key];
  if (!Number.isInteger(value) || (value as number) < 1) {
    throw new SyntaxError(`a sluice "${type}" event must carry "${key}", a whole number of at least 1`);
  }
  return value as number;
}

function choice(fields: Fields, type: string): { choice?: number } {
  const value = fields['choice'];
  if (value === undefined) return {};
  if (!Number.isInteger(value) || (value as number) < 0) {
    throw new SyntaxError(`a sluice "${type}" event's "choice" must be a whole number of at least 0`);
  }
  return value === 0 ? {} : { choice: value as number };
}
