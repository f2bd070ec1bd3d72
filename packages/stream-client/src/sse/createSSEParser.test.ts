import { describe, expect, it, vi } from 'vitest';
import { createSSEParser } from './createSSEParser.js';
import type { SSEParserOptions } from './createSSEParser.js';
import { SSEParseError } from './SSEParseError.js';
import type { ServerSentEvent } from './ServerSentEvent.js';

interface Parsed {
  events: ServerSentEvent[];
  retries: number[];
  comments: string[];
}

/** Feeds the chunks in order, ends the stream, and returns everything the parser reported. */
function parse(chunks: ReadonlyArray<string | Uint8Array>, options: Partial<SSEParserOptions> = {}): Parsed {
  const parsed: Parsed = { events: [], retries: [], comments: [] };
  const parser = createSSEParser({
    ...options,
    onEvent: (event) => parsed.events.push(event),
    onRetry: (milliseconds) => parsed.retries.push(milliseconds),
    onComment: (text) => parsed.comments.push(text),
  });
  for (const chunk of chunks) parser.feed(chunk);
  parser.end();
  return parsed;
}

const message = (data: string, lastEventId = '', type = 'message'): ServerSentEvent => ({ type, data, lastEventId });
const bytes = (...values: number[]) => new Uint8Array(values);
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('the standard’s own examples', () => {
  it('joins several data lines with LF', () => {
    expect(parse(['data: YHOO\ndata: +2\ndata: 10\n\n']).events).toEqual([message('YHOO\n+2\n10')]);
  });

  it('follows comments, ids and the one-space rule through four blocks', () => {
    const stream = ': test stream\n\ndata: first event\nid: 1\n\ndata:second event\nid\n\ndata:  third event\n\n';
    const { events, comments } = parse([stream]);
    expect(comments).toEqual(['test stream']);
    expect(events).toEqual([message('first event', '1'), message('second event', ''), message(' third event', '')]);
  });

  it('dispatches an empty data line as an empty string, two as one LF, and drops an unterminated last event', () => {
    expect(parse(['data\n\ndata\ndata\n\ndata:']).events).toEqual([message(''), message('\n')]);
  });

  it('treats "data:test" and "data: test" the same', () => {
    expect(parse(['data:test\n\ndata: test\n\n']).events).toEqual([message('test'), message('test')]);
  });
});

describe('line endings', () => {
  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('ends lines with %s', (_name, ending) => {
    const stream = `event: add${ending}data: 1${ending}data: 2${ending}${ending}data: 3${ending}${ending}`;
    expect(parse([stream]).events).toEqual([message('1\n2', '', 'add'), message('3')]);
  });

  it('accepts all three endings mixed in one stream', () => {
    expect(parse(['data: a\rdata: b\r\ndata: c\n\r\ndata: d\r\r']).events).toEqual([message('a\nb\nc'), message('d')]);
  });

  it('reads a CR at the end of one chunk and an LF at the start of the next as one line ending', () => {
    // Were they two endings, the LF would be a blank line and dispatch "a" on its own.
    expect(parse(['data: a\r', '\ndata: b\r', '\n\r', '\n']).events).toEqual([message('a\nb')]);
  });

  it('remembers a trailing CR across empty chunks', () => {
    expect(parse(['data: a\r', '', new Uint8Array(0), '\ndata: b\n\n']).events).toEqual([message('a\nb')]);
  });

  it.each(['data: x\n\n', 'data: x\r\r', 'data: x\r\n\r', 'data: x\r\n\r\n'])(
    'delivers an event the moment its blank line arrives, without waiting for more bytes (%j)',
    (stream) => {
      const onEvent = vi.fn<(event: ServerSentEvent) => void>();
      createSSEParser({ onEvent }).feed(stream);
      expect(onEvent).toHaveBeenCalledExactlyOnceWith(message('x'));
    },
  );

  it('does not dispatch a CR-ended line until it is known to be blank', () => {
    const onEvent = vi.fn<(event: ServerSentEvent) => void>();
    const parser = createSSEParser({ onEvent });
    parser.feed('data: x\r');
    expect(onEvent).not.toHaveBeenCalled();
    parser.feed('\n');
    expect(onEvent).not.toHaveBeenCalled();
    parser.feed('\r\n');
    expect(onEvent).toHaveBeenCalledOnce();
  });
});

describe('fields', () => {
  it('strips one leading space from a value, and only one', () => {
    expect(parse(['data:   three\n\n']).events).toEqual([message('  three')]);
  });

  it('keeps colons after the first as part of the value', () => {
    expect(parse(['data: {"a":"b:c"}\n\n']).events).toEqual([message('{"a":"b:c"}')]);
  });

  it('compares field names case-sensitively', () => {
    expect(parse(['Data: x\nDATA: y\nEvent: e\n\n']).events).toEqual([]);
  });

  it('ignores unknown fields and fields that only start like known ones', () => {
    expect(parse(['foo: bar\ndatum: x\nid2: 7\ndata : spaced name\nretryx: 5\ndata: kept\n\n']).events).toEqual([
      message('kept'),
    ]);
  });

  it('treats a line with no colon as a field with an empty value', () => {
    expect(parse(['data\nevent\nid\n\n'], { lastEventId: 'seed' }).events).toEqual([message('', '')]);
  });

  it('uses "message" for an absent or empty event type and resets the type after each block', () => {
    const stream = 'event: update\ndata: 1\n\nevent:\ndata: 2\n\nevent: ghost\n\ndata: 3\n\n';
    expect(parse([stream]).events).toEqual([message('1', '', 'update'), message('2'), message('3')]);
  });

  it('does not dispatch a block without data, but still lets its id take effect', () => {
    const { events } = parse(['id: 42\nevent: nothing\n\ndata: after\n\n']);
    expect(events).toEqual([message('after', '42')]);
  });
});

describe('last event ID', () => {
  it('persists across events until an id line changes it, and an empty id resets it', () => {
    const stream = 'id: 1\ndata: a\n\ndata: b\n\nid: 2\ndata: c\n\nid:\ndata: d\n\ndata: e\n\n';
    expect(parse([stream]).events.map((event) => event.lastEventId)).toEqual(['1', '1', '2', '', '']);
  });

  it('ignores an id containing NUL', () => {
    expect(parse(['id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n']).events.map((event) => event.lastEventId)).toEqual([
      '1',
      '1',
    ]);
  });

  it('starts from a seed and exposes the ID a reconnection should send', () => {
    const parser = createSSEParser({ onEvent: () => {}, lastEventId: 'seed' });
    expect(parser.lastEventId).toBe('seed');
    parser.feed('data: a\n\nid: 7\n\n');
    expect(parser.lastEventId).toBe('7');
    // An id inside an event that never completed must not be sent back as resumed-from.
    parser.feed('id: 8\ndata: lost');
    parser.end();
    expect(parser.lastEventId).toBe('7');
  });

  it('seeds events that carry no id of their own', () => {
    expect(parse(['data: a\n\n'], { lastEventId: 'resume-3' }).events).toEqual([message('a', 'resume-3')]);
  });
});

describe('retry', () => {
  it('reports a value of ASCII digits when its line is processed', () => {
    const onRetry = vi.fn<(milliseconds: number) => void>();
    const parser = createSSEParser({ onEvent: () => {}, onRetry });
    parser.feed('retry: 3000\n');
    expect(onRetry).toHaveBeenCalledExactlyOnceWith(3000);
  });

  it('ignores values that are not all ASCII digits', () => {
    const stream = [
      'retry:',
      'retry: ',
      'retry: 10ms',
      'retry: -1',
      'retry: 1.5',
      'retry: 1e3',
      'retry:  5',
      'retry: ٣',
    ];
    expect(parse([stream.join('\n') + '\n']).retries).toEqual([]);
  });

  it('accepts zero and leading zeros', () => {
    expect(parse(['retry: 0\nretry:0042\n']).retries).toEqual([0, 42]);
  });
});

describe('comments', () => {
  it('reports keep-alive comments with one leading space removed, without disturbing the event around them', () => {
    const { events, comments } = parse([':\n: ping\n:  two\ndata: a\n: inside\ndata: b\n\n']);
    expect(comments).toEqual(['', 'ping', ' two', 'inside']);
    expect(events).toEqual([message('a\nb')]);
  });
});

describe('decoding', () => {
  it('strips one leading BOM, even when its bytes arrive split', () => {
    expect(parse([bytes(0xef), bytes(0xbb), bytes(0xbf, 0x64), utf8('ata: x\n\n')]).events).toEqual([message('x')]);
    expect(parse(['\ufeffdata: x\n\n']).events).toEqual([message('x')]);
  });

  it('keeps a second BOM as part of the first line', () => {
    expect(parse([utf8('\ufeff\ufeffdata: x\n\n')]).events).toEqual([]);
    expect(parse(['\ufeff', '\ufeffdata: x\n\n']).events).toEqual([]);
  });

  it('keeps a BOM that is not at the very start', () => {
    expect(parse(['data: x\n\n\ufeffdata: y\n\n']).events).toEqual([message('x')]);
  });

  it('joins a character whose bytes are split across chunks', () => {
    const encoded = utf8('data: €😀\n\n');
    const chunks = Array.from(encoded, (byte) => bytes(byte));
    expect(parse(chunks).events).toEqual([message('€😀')]);
  });

  it('turns invalid bytes into U+FFFD', () => {
    const stream = new Uint8Array([...utf8('data: a'), 0xff, 0xc3, ...utf8('b\n\n')]);
    expect(parse([stream]).events).toEqual([message('a\ufffd\ufffdb')]);
  });

  it('discards an unfinished character at the end with its unfinished event', () => {
    expect(parse([new Uint8Array([...utf8('data: ok\n\ndata: '), 0xe2, 0x82])]).events).toEqual([message('ok')]);
  });
});

describe('end of stream', () => {
  it('discards an event without its closing blank line', () => {
    expect(parse(['data: a\n\ndata: b\n']).events).toEqual([message('a')]);
    expect(parse(['data: a\n\ndata: b']).events).toEqual([message('a')]);
  });

  it('refuses to be fed after end, and parses a fresh stream after reset', () => {
    const events: ServerSentEvent[] = [];
    const parser = createSSEParser({ onEvent: (event) => events.push(event) });
    parser.feed('id: 1\ndata: a\n\ndata: half');
    parser.end();
    expect(() => parser.feed('data: b\n\n')).toThrow(expect.objectContaining({ kind: 'parser-ended' }));
    parser.reset();
    parser.feed('\ufeff\n\ndata: b\n\n');
    expect(events).toEqual([message('a', '1'), message('b', '1')]);
  });
});

describe('maxEventBytes', () => {
  it('throws a typed error when an event’s data grows past the limit', () => {
    const parser = createSSEParser({ onEvent: () => {}, maxEventBytes: 10 });
    let thrown: unknown;
    try {
      parser.feed('data: 12345\ndata: 67890\n\n');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SSEParseError);
    expect(thrown).toMatchObject({ kind: 'event-too-large', limit: 10, name: 'SSEParseError' });
  });

  it('bounds a single line that never ends, however it is chunked', () => {
    const parser = createSSEParser({ onEvent: () => {}, maxEventBytes: 1000 });
    expect(() => {
      for (let index = 0; index < 2000; index++) parser.feed('x');
    }).toThrow(SSEParseError);
  });

  it('counts data already buffered together with the unfinished line', () => {
    const parser = createSSEParser({ onEvent: () => {}, maxEventBytes: 20 });
    parser.feed('data: 0123456789\n');
    expect(() => parser.feed('data: 0123456789')).toThrow(SSEParseError);
  });

  it('accepts events up to the limit, and measures each event afresh', () => {
    const { events } = parse(['data: 12345\n\n'.repeat(3)], { maxEventBytes: 6 });
    expect(events).toHaveLength(3);
  });

  it('keeps failing after the error, until reset', () => {
    const onEvent = vi.fn<(event: ServerSentEvent) => void>();
    const parser = createSSEParser({ onEvent, maxEventBytes: 4 });
    expect(() => parser.feed('data: 12345\n\n')).toThrow(SSEParseError);
    expect(() => parser.feed('data: 1\n\n')).toThrow(SSEParseError);
    parser.reset();
    parser.feed('data: 1\n\n');
    expect(onEvent).toHaveBeenCalledExactlyOnceWith(message('1'));
  });

  it('rejects a limit that is not a positive number', () => {
    expect(() => createSSEParser({ onEvent: () => {}, maxEventBytes: 0 })).toThrow(RangeError);
    expect(() => createSSEParser({ onEvent: () => {}, maxEventBytes: Number.NaN })).toThrow(RangeError);
  });
});

describe('misuse', () => {
  it('explains that it takes an options object, not a bare function', () => {
    const bare = (() => {}) as unknown as SSEParserOptions;
    expect(() => createSSEParser(bare)).toThrow(/createSSEParser\(\{ onEvent: yourFunction \}\)/);
    expect(() => createSSEParser({} as SSEParserOptions)).toThrow(TypeError);
  });

  it('names what it was fed when it is neither text nor bytes', () => {
    const parser = createSSEParser({ onEvent: () => {} });
    expect(() => parser.feed(42 as unknown as string)).toThrow(/not number/);
    expect(() => parser.feed({} as unknown as string)).toThrow(/not Object/);
  });
});

describe('scale', () => {
  // Ten million feeds: room to spare on a loaded machine (a quadratic parser would not finish at all).
  it('parses a 10 MB event fed one character at a time', { timeout: 30_000 }, () => {
    const size = 10 * 1024 * 1024;
    // Not periodic in any power of two, so a slice kept out of order would show.
    const characters = Array.from({ length: size }, (_, index) => String.fromCharCode(97 + (index % 23)));
    let received: ServerSentEvent | undefined;
    const parser = createSSEParser({ onEvent: (event) => (received = event) });
    parser.feed('data: ');
    for (const character of characters) parser.feed(character);
    parser.feed('\n\n');
    expect(received?.data.length).toBe(size);
    expect(received?.data === characters.join('')).toBe(true);
  });

  it('parses a million tiny events from one chunk', () => {
    let count = 0;
    let last: ServerSentEvent | undefined;
    const parser = createSSEParser({
      onEvent: (event) => {
        count++;
        last = event;
      },
    });
    parser.feed('data: x\n\n'.repeat(1_000_000));
    expect(count).toBe(1_000_000);
    expect(last).toEqual(message('x'));
  });
});
