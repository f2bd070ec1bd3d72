import { describe, expect, it, vi } from 'vitest';
import type { StreamPart } from '../providers/StreamPart.js';
import type { MessagePart } from './MessagePart.js';
import { loadToolArgumentsParser, MessagePartsBuilder } from './MessagePartsBuilder.js';

function builder(before: readonly MessagePart[] = [], text = '') {
  let count = 0;
  return new MessagePartsBuilder(before, text, () => `p${count++}`);
}

describe('MessagePartsBuilder', () => {
  it('parses arguments that began before its parser arrived, from their start', async () => {
    // The first tool call of a session may come before the parser's code: it catches up.
    const parts = builder();
    parts.add({ type: 'tool-call-start', id: 'call_1', name: 'search' });
    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"query": "ti' });
    await loadToolArgumentsParser();
    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: 'des", "limit": 3' });
    expect(parts.parts[1]).toMatchObject({ input: { query: 'tides', limit: 3 } });
    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: '}' });
    parts.end();
    expect(parts.parts[1]).toMatchObject({ state: 'input-available', input: { query: 'tides', limit: 3 } });
  });

  it('keeps each part in the order it began, and gives new objects only to the parts that changed', async () => {
    await loadToolArgumentsParser();
    const parts = builder();
    parts.add({ type: 'text-delta', text: 'Let me ' });
    parts.add({ type: 'tool-call-start', id: 'call_1', name: 'search' });
    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"query": "tid' });
    const first = parts.parts;
    expect(first.map((part) => part.type)).toEqual(['step-start', 'text', 'tool-call']);
    expect(first[2]).toMatchObject({ state: 'input-streaming', input: { query: 'tid' }, inputText: '{"query": "tid' });
    expect(parts.parts).toBe(first);

    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: 'es"}' });
    const second = parts.parts;
    expect(second).not.toBe(first);
    // The text did not change: the same object, so a memoised view of it does not render again.
    expect(second[1]).toBe(first[1]);
    expect(second[2]).toMatchObject({ input: { query: 'tides' } });
  });

  it('times the reasoning until anything else arrives, and ends it then', () => {
    const now = vi.spyOn(performance, 'now');
    now.mockReturnValue(1_000);
    const parts = builder();
    parts.add({ type: 'reasoning-delta', text: 'Hmm.' });
    now.mockReturnValue(4_500);
    parts.add({ type: 'reasoning-delta', text: ' Yes.' });
    expect(parts.parts[1]).toMatchObject({ type: 'reasoning', text: 'Hmm. Yes.', state: 'streaming' });
    now.mockReturnValue(13_000);
    parts.add({ type: 'text-delta', text: 'Done thinking.' });
    expect(parts.parts[1]).toEqual({
      type: 'reasoning',
      id: 'p1',
      text: 'Hmm. Yes.',
      state: 'done',
      durationMs: 12_000,
    });
    now.mockRestore();
  });

  it('sets text blocks and steps apart, in the parts and by a blank line in the plain text', () => {
    const parts = builder([], 'Before.');
    parts.add({ type: 'text-delta', text: 'One.' });
    parts.add({ type: 'server-tool-call', call: { id: 's1', name: 'web_search', input: { query: 'q' } } });
    parts.add({ type: 'text-delta', text: 'Two.', block: 2 });
    parts.add({ type: 'step-start' });
    parts.add({ type: 'text-delta', text: 'Three.' });
    parts.end();
    expect(parts.text).toBe('Before.\n\nOne.Two.\n\nThree.');
    expect(parts.parts.filter((part) => part.type === 'text').map((part) => [part.text, part.state])).toEqual([
      ['One.', 'done'],
      ['Two.', 'done'],
      ['Three.', 'done'],
    ]);
  });

  it('replaces data of the same id in place, and adds data without one', () => {
    const parts = builder();
    parts.add({ type: 'data', name: 'progress', id: 'job', data: { done: 1 } });
    parts.add({ type: 'data', name: 'log', data: 'started' });
    parts.add({ type: 'data', name: 'progress', id: 'job', data: { done: 2 } });
    expect(parts.parts.slice(1)).toEqual([
      { type: 'data-progress', id: 'job', data: { done: 2 } },
      { type: 'data-log', id: 'p1', data: 'started' },
    ]);
  });

  it('ties a source to the text block it cites, and a server result to its call', () => {
    const parts = builder();
    const stream: StreamPart[] = [
      { type: 'server-tool-call', call: { id: 's1', name: 'web_search', input: { query: 'tides' } } },
      { type: 'server-tool-result', id: 's1', output: [{ url: 'https://tides.example' }] },
      { type: 'text-delta', text: 'High tide at 06:12.', block: 2 },
      { type: 'source', block: 2, source: { url: 'https://tides.example' } },
    ];
    for (const part of stream) parts.add(part);
    const [, search, text, source] = parts.parts;
    expect(search).toMatchObject({ type: 'server-tool', state: 'done', output: [{ url: 'https://tides.example' }] });
    expect(source).toMatchObject({ type: 'source', textPartId: text!.id });
  });

  it('gives an earlier step’s call the result the server sends for it in a later request', () => {
    const before: MessagePart[] = [
      { type: 'step-start', id: 's0' },
      {
        type: 'tool-call',
        id: 'call_1',
        name: 'book',
        state: 'approved',
        input: {},
        inputText: '{}',
        runsOn: 'server',
      },
    ];
    const parts = builder(before);
    parts.add({ type: 'tool-result', id: 'call_1', output: 'Booked.' });
    expect(parts.parts[1]).toMatchObject({ state: 'output-available', output: 'Booked.', runsOn: 'server' });
    // The reply's earlier parts are not changed in place: they were someone else's objects.
    expect(before[1]).toMatchObject({ state: 'approved' });
  });

  it('ends a call whose arguments never completed with what arrived, parsed or not', async () => {
    await loadToolArgumentsParser();
    const parts = builder();
    parts.add({ type: 'tool-call-start', id: 'call_1', name: 'save' });
    parts.add({ type: 'tool-call-delta', id: 'call_1', argumentsDelta: '{"a": [1' });
    parts.end();
    expect(parts.parts[1]).toMatchObject({ state: 'input-available', input: undefined, inputText: '{"a": [1' });
  });
});
