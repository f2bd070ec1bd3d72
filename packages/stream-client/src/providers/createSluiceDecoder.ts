import type { StreamErrorKind } from '../transport/StreamError.js';
import type { Decoder } from './Decoder.js';
import { DecoderError } from './DecoderError.js';
import { formatMismatch } from './formatMismatch.js';
import { isStreamId } from './isStreamId.js';
import type { FinishReason, StreamPart } from './StreamPart.js';
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
      const data: unknown = JSON.parse(event.data);
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new SyntaxError(`a sluice "${event.type}" event must carry a JSON object`);
      }
      const part = readPart(event.type, data as Fields);
      // A header names its reply: check it before anything else, since without an id of its own it
      // carries the last id of the reply before, and would be dropped as a replay of that reply.
      if (part.type === 'sluice') {
        if (part.version > SLUICE_PROTOCOL_VERSION) {
          throw new DecoderError(
            `The server speaks version ${part.version} of the sluice protocol; this client reads version ${SLUICE_PROTOCOL_VERSION}. Update @sluice/stream-client.`,
            'protocol',
            false,
          );
        }
        if (streamId !== undefined && part.streamId !== streamId) throw restarted(part.streamId);
      }
      const id = event.lastEventId;
      if (id !== '') {
        const colon = id.lastIndexOf(':');
        const stream = colon === -1 ? undefined : id.slice(0, colon);
        // Once the reply is named, every id must be scoped to it: an id of another shape comes from
        // another server or another generation, whose numbers mean nothing here.
        if (streamId !== undefined && stream !== streamId) throw restarted(stream ?? `without an id, numbered ${id}`);
        const sequence = Number(colon === -1 ? id : id.slice(colon + 1));
        // An event without an id of its own carries the previous one, so on a resumed connection an
        // error the server sends without an id (the reply is gone) would look like a replay of the
        // last event: errors are never dropped, since a failure is never a repeated token.
        if (Number.isInteger(sequence) && part.type !== 'error') {
          if (sequence <= lastSequence) return;
          lastSequence = sequence;
        }
      }
      if (part.type === 'sluice') {
        // The same reply from its beginning: the sequence check above drops what was delivered.
        if (streamId !== undefined) return;
        streamId = part.streamId;
      }
      emit(part);
    },
  };
}

/**
 * How a field is checked: a string, an optional string, an optional index (left out when 0), an
 * optional boolean, or any JSON value (a provider's own data, passed on as it is).
 */
type Rule = 'string' | 'string?' | 'index?' | 'boolean?' | 'any';

/** The fields of the parts made of plain fields, by type; the others are read by hand below. */
const shapes: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  sluice: { streamId: 'string' },
  start: { id: 'string?', model: 'string?' },
  'text-delta': { text: 'string', choice: 'index?', block: 'index?' },
  'refusal-delta': { text: 'string', choice: 'index?' },
  'reasoning-delta': { text: 'string', block: 'index?' },
  'tool-call-start': { id: 'string', name: 'string', choice: 'index?' },
  'tool-call-delta': { id: 'string', argumentsDelta: 'string' },
  source: { block: 'index?' },
  'server-tool-call': { block: 'index?' },
  'server-tool-result': { id: 'string', output: 'any', isError: 'boolean?', block: 'index?' },
  finish: { rawFinishReason: 'string?', choice: 'index?' },
  'step-start': {},
  'tool-result': { id: 'string', output: 'any', isError: 'boolean?' },
  'tool-approval-request': { id: 'string' },
  file: { mediaType: 'string', url: 'string', filename: 'string?' },
  data: { name: 'string', data: 'any', id: 'string?' },
};
const sourceShape: Readonly<Record<string, Rule>> = {
  url: 'string?',
  title: 'string?',
  fileId: 'string?',
  filename: 'string?',
  citedText: 'string?',
};
const serverToolCallShape: Readonly<Record<string, Rule>> = {
  id: 'string',
  name: 'string',
  input: 'any',
  output: 'any',
  isError: 'boolean?',
  server: 'string?',
};
const toolRequestShape: Readonly<Record<string, Rule>> = {
  id: 'string',
  name: 'string',
  input: 'any',
  server: 'string?',
};
const toolRequestKinds: ReadonlySet<unknown> = new Set([
  'custom',
  'local-shell',
  'apply-patch',
  'tool-search',
  'mcp-approval',
]);

/** A part built from the fields its type documents, each checked; anything else is left behind. */
function readPart(type: string, fields: Fields): StreamPart {
  const part = readFields(type, fields, shapes[type] ?? {}, { type });
  switch (type) {
    case 'sluice': {
      const version = fields['version'];
      if (!isCount(version) || version < 1) throw invalid(type, 'version', 'a whole number of at least 1');
      part['version'] = version;
      // The client sends it back in headers (to resume, to stop): it must be able to travel there.
      if (!isStreamId(part['streamId'])) {
        throw invalid(type, 'streamId', '1 to 256 visible ASCII characters');
      }
      break;
    }
    case 'tool-call': {
      const call = object(fields, 'toolCall', type);
      const toolCall = readFields(type, call, {
        id: 'string',
        name: 'string',
        argumentsText: 'string',
        arguments: 'any',
      });
      // Arguments that were not valid JSON are `undefined`, which JSON leaves out: the key stays.
      if (!('arguments' in toolCall)) toolCall['arguments'] = undefined;
      toolCall['choice'] = isCount(call['choice']) ? call['choice'] : 0;
      part['toolCall'] = toolCall;
      break;
    }
    case 'source': {
      const source = object(fields, 'source', type);
      const read = readFields(type, source, sourceShape);
      const range = source['textRange'];
      if (range !== undefined) {
        const { start, end } = (range ?? {}) as Fields;
        if (!isCount(start) || !isCount(end) || end < start) throw invalid(type, 'textRange', '{ start, end } offsets');
        read['textRange'] = { start, end };
      }
      part['source'] = read;
      break;
    }
    case 'server-tool-call':
      part['call'] = readFields(type, object(fields, 'call', type), serverToolCallShape);
      break;
    case 'tool-request': {
      const request = object(fields, 'request', type);
      if (!toolRequestKinds.has(request['kind'])) throw invalid(type, 'kind', 'a kind of tool request');
      part['request'] = readFields(type, request, toolRequestShape, { kind: request['kind'] });
      break;
    }
    case 'continuation': {
      const continuation = object(fields, 'continuation', type);
      const provider = continuation['provider'];
      const items = provider === 'anthropic' ? 'content' : provider === 'openai-responses' ? 'output' : undefined;
      if (items === undefined || !Array.isArray(continuation[items])) {
        throw invalid(type, 'continuation', 'an Anthropic { content } or Responses { output } array');
      }
      part['continuation'] = { provider, [items]: continuation[items] };
      break;
    }
    case 'usage': {
      const usage = fields['usage'];
      if (usage === null || typeof usage !== 'object' || Array.isArray(usage))
        throw invalid(type, 'usage', 'an object');
      const counts: Fields = {};
      for (const key of ['inputTokens', 'outputTokens']) {
        const count = (usage as Fields)[key];
        if (count === undefined) continue;
        if (typeof count !== 'number' || !(count >= 0) || count === Infinity) throw invalid(type, key, 'a count');
        counts[key] = count;
      }
      part['usage'] = counts;
      break;
    }
    case 'finish': {
      const reason = fields['finishReason'];
      part['finishReason'] = typeof reason === 'string' && finishReasons.has(reason) ? reason : 'other';
      break;
    }
    case 'error': {
      const { message, kind, status, retryAfterMs } = fields;
      part['message'] = typeof message === 'string' && message !== '' ? message : 'The server reported an error.';
      if (typeof fields['errorType'] === 'string') part['errorType'] = fields['errorType'];
      part['retryable'] = fields['retryable'] === true;
      // A kind this client does not know is still a failure the server reported: say so plainly.
      if (kind !== undefined) part['kind'] = typeof kind === 'string' && errorKinds.has(kind) ? kind : 'provider';
      if (isCount(status) && status >= 100 && status <= 599) part['status'] = status;
      if (typeof retryAfterMs === 'number' && retryAfterMs >= 0 && retryAfterMs < Infinity) {
        part['retryAfterMs'] = retryAfterMs;
      }
      if (fields['relayed'] === false) part['relayed'] = false;
      break;
    }
  }
  return part as unknown as StreamPart;
}

/** The fields `rules` names, checked, added to `part`. */
function readFields(type: string, fields: Fields, rules: Readonly<Record<string, Rule>>, part: Fields = {}): Fields {
  for (const key in rules) {
    const value = fields[key];
    const rule = rules[key];
    if (value === undefined && rule !== 'string') continue;
    if (rule === 'any') {
      part[key] = value;
    } else if (rule === 'index?') {
      if (!isCount(value)) throw invalid(type, key, 'a whole number of at least 0');
      // Choice and block 0 are the plain case: parts leave them out.
      if (value !== 0) part[key] = value;
    } else if (rule === 'boolean?') {
      if (typeof value !== 'boolean') throw invalid(type, key, 'true or false');
      part[key] = value;
    } else if (typeof value !== 'string') {
      throw invalid(type, key, 'a string');
    } else {
      part[key] = value;
    }
  }
  return part;
}

/** A field that must hold a JSON object. */
function object(fields: Fields, key: string, type: string): Fields {
  const value = fields[key];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw invalid(type, key, 'an object');
  return value as Fields;
}

function isCount(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 0;
}

function invalid(type: string, key: string, what: string): SyntaxError {
  return new SyntaxError(`a sluice "${type}" event's "${key}" must be ${what}`);
}
