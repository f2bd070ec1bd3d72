import { describe, expect, it } from 'vitest';
import { createSSEParser } from '../sse/createSSEParser.js';
import { decodeEvents } from '../testing/decodeEvents.js';
import { providerEvents } from '../testing/providerEvents.js';
import { createSluiceDecoder } from './createSluiceDecoder.js';
import type { Decoder } from './Decoder.js';
import { DecoderError } from './DecoderError.js';
import type { StreamPart } from './StreamPart.js';

/**
 * Feeds connections to one decoder as `streamText` does across a resumption: one parser whose
 * last event id carries over, reset between connections. Returns the parts, or the error thrown.
 */
function readConnections(decoder: Decoder, ...connections: string[]): { parts: StreamPart[]; error?: unknown } {
  const parts: StreamPart[] = [];
  const parser = createSSEParser({ onEvent: (event) => decoder.decode(event, (part) => parts.push(part)) });
  try {
    for (const connection of connections) {
      parser.feed(connection);
      parser.reset();
    }
  } catch (error) {
    return { parts, error };
  }
  return { parts };
}

const answer = 'One reply, continued after a drop, never glued to another.';

describe('sluice decoder', () => {
  it('reads the header: the protocol version and the reply stream id, as a part', () => {
    const parts = decodeEvents('sluice', providerEvents('sluice', { text: 'Hi', streamId: 'reply-1' }).join(''));
    expect(parts[0]).toEqual({ type: 'sluice', version: 1, streamId: 'reply-1' });
    expect(parts.filter((part) => part.type === 'text-delta').map((part) => part.text)).toEqual(['Hi']);
  });

  it('continues the same reply after a reconnection, dropping what a server replays', () => {
    const blocks = providerEvents('sluice', { text: answer, ids: true, streamId: 'reply-1' });
    const { parts, error } = readConnections(
      createSluiceDecoder(),
      blocks.slice(0, 6).join(''),
      // A careless server that replays the reply from its start, header and all.
      blocks.join(''),
    );
    expect(error).toBeUndefined();
    const text = parts.flatMap((part) => (part.type === 'text-delta' ? [part.text] : [])).join('');
    expect(text).toBe(answer);
    expect(parts.filter((part) => part.type === 'sluice')).toHaveLength(1);
  });

  it('refuses a reconnection that delivers another reply, by its header, as kind restarted', () => {
    // The first reply was numbered (so the client resumed); the server that answers the
    // reconnection ignores Last-Event-ID and relays a new reply without ids, whose events all carry
    // the last id of the first one.
    const first = providerEvents('sluice', { text: answer, ids: true, streamId: 'reply-1' });
    const second = providerEvents('sluice', { text: 'A different answer.', streamId: 'reply-2' });
    const { parts, error } = readConnections(createSluiceDecoder(), first.slice(0, 6).join(''), second.join(''));
    expect(error).toBeInstanceOf(DecoderError);
    expect(error).toMatchObject({ kind: 'restarted', retryable: true });
    expect((error as Error).message).toContain('reply-2');
    // Nothing of the other reply was let through.
    expect(parts.some((part) => part.type === 'text-delta' && part.text.includes('different'))).toBe(false);
  });

  it('refuses events whose ids belong to another reply, even without a header', () => {
    const first = providerEvents('sluice', { text: answer, ids: true, streamId: 'reply-1' });
    const other = providerEvents('sluice', { text: 'A different answer.', ids: true, streamId: 'reply-2' });
    // The other reply's later events, as a server that resumed the wrong reply would send them.
    const { error } = readConnections(createSluiceDecoder(), first.slice(0, 6).join(''), other.slice(6).join(''));
    expect(error).toMatchObject({ kind: 'restarted' });
  });

  it('refuses numbered events without the reply’s prefix once the reply is named: another server’s numbers', () => {
    const first = providerEvents('sluice', { text: answer, ids: true, streamId: 'reply-1' });
    // A plain relay that numbers its events 0, 1, 2... restarted its generation on the reconnection.
    const plain = providerEvents('sluice', { text: 'A different answer.', streamId: 'reply-1' })
      .slice(1)
      .map((block, index) => `id: ${index + 28}\n${block}`);
    const { parts, error } = readConnections(createSluiceDecoder(), first.slice(0, 6).join(''), plain.join(''));
    expect(error).toMatchObject({ kind: 'restarted' });
    expect(parts.some((part) => part.type === 'text-delta' && part.text.includes('different'))).toBe(false);
  });

  it.each(['', 'リプライ', 'with space', 'x'.repeat(257)])(
    'refuses a header whose stream id could not be sent back in a header: %j',
    (streamId) => {
      const header = `event: sluice\ndata: ${JSON.stringify({ version: 1, streamId })}\n\n`;
      const { error } = readConnections(createSluiceDecoder(), header);
      expect(error).toBeInstanceOf(SyntaxError);
      expect((error as Error).message).toContain('streamId');
    },
  );

  it('never drops an error sent without an id on a resumed connection', () => {
    const first = providerEvents('sluice', { text: answer, ids: true });
    const gone = 'event: error\ndata: {"message":"No longer kept.","kind":"gone","retryable":true,"relayed":false}\n\n';
    const { parts } = readConnections(createSluiceDecoder(), first.slice(0, 6).join(''), gone);
    expect(parts.at(-1)).toEqual({
      type: 'error',
      message: 'No longer kept.',
      kind: 'gone',
      retryable: true,
      relayed: false,
    });
  });

  it('refuses a newer protocol version with advice, rather than misreading it', () => {
    const stream = 'event: sluice\ndata: {"version":2,"streamId":"r"}\n\n';
    expect(() => decodeEvents('sluice', stream)).toThrow(
      /version 2 of the sluice protocol.*Update @sluice\/stream-client/,
    );
  });

  it('checks each part against its documented shape and keeps only its documented fields', () => {
    expect(() => decodeEvents('sluice', 'event: text-delta\ndata: {"text":7}\n\n')).toThrow(/"text" must be a string/);
    expect(() => decodeEvents('sluice', 'event: tool-call\ndata: {"toolCall":null}\n\n')).toThrow(
      /"toolCall" must be an object/,
    );
    expect(() => decodeEvents('sluice', 'event: usage\ndata: {"usage":{"inputTokens":"9"}}\n\n')).toThrow(/count/);
    const parts = decodeEvents(
      'sluice',
      [
        'event: finish\ndata: {"finishReason":"toString","extra":1,"__proto__":{"polluted":true}}\n\n',
        'event: error\ndata: {"message":{"toString":1},"kind":"constructor","status":"500","retryable":"yes"}\n\n',
      ].join(''),
    );
    expect(parts).toEqual([
      { type: 'finish', finishReason: 'other' },
      { type: 'error', message: 'The server reported an error.', kind: 'provider', retryable: false },
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('ignores event names it does not know, so a newer server can add parts', () => {
    const parts = decodeEvents('sluice', 'event: sparkle\ndata: {}\n\nevent: text-delta\ndata: {"text":"ok"}\n\n');
    expect(parts).toEqual([{ type: 'text-delta', text: 'ok' }]);
  });
});
