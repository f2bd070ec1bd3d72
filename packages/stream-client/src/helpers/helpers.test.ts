import { describe, expect, it } from 'vitest';
import type { StreamPart } from '../providers/StreamPart.js';
import { StreamError } from '../transport/StreamError.js';
import { collectParts } from './collectParts.js';
import { sentences } from './sentences.js';
import { textDeltas } from './textDeltas.js';

async function* partsOf(...parts: StreamPart[]): AsyncGenerator<StreamPart> {
  for (const part of parts) yield part;
}
const text = (...pieces: string[]) =>
  partsOf(...pieces.map((piece): StreamPart => ({ type: 'text-delta', text: piece })));

async function all<T>(source: AsyncIterable<T>): Promise<T[]> {
  const values: T[] = [];
  for await (const value of source) values.push(value);
  return values;
}

describe('textDeltas', () => {
  it('yields only the answer’s text, leaving out reasoning, other choices and the rest', async () => {
    const source = partsOf(
      { type: 'start', id: 'x' },
      { type: 'reasoning-delta', text: 'hmm' },
      { type: 'text-delta', text: 'Hel' },
      { type: 'text-delta', text: 'other', choice: 1 },
      { type: 'text-delta', text: 'lo' },
      { type: 'finish', finishReason: 'stop' },
    );
    expect(await all(textDeltas(source))).toEqual(['Hel', 'lo']);
  });
});

describe('sentences', () => {
  it('yields each sentence once the next has begun, however the deltas split it', async () => {
    const source = text('The sky', ' is blue. It', ' rains! Does it', '? Yes');
    expect(await all(sentences(source))).toEqual(['The sky is blue.', 'It rains!', 'Does it?', 'Yes']);
  });

  it('does not split at abbreviations or decimals', async () => {
    const source = text('Dr. Smith paid 3.', '14 dollars. Then', ' left.');
    expect(await all(sentences(source))).toEqual(['Dr. Smith paid 3.14 dollars.', 'Then left.']);
  });

  it('ends a sentence at a paragraph break, and handles CJK punctuation', async () => {
    expect(await all(sentences(text('# Title\n\nBody text', '.')))).toEqual(['Title', 'Body text.']);
    expect(await all(sentences(text('你好。', '再见！')))).toEqual(['你好。', '再见！']);
  });

  it('reads a line break inside a paragraph as a space, not as the end of a sentence', async () => {
    const source = text('The sky is\nblue today', ' and it rains.\nMore', ' soon');
    expect(await all(sentences(source))).toEqual(['The sky is blue today and it rains.', 'More soon']);
  });

  it('says markdown as plain text: emphasis, links, images and code spans by their text', async () => {
    const source = text('**Bold** claim with a [link](https://example.com/a.b) and `code`. ![A cat](c.png) _here_.');
    expect(await all(sentences(source))).toEqual(['Bold claim with a link and code.', 'A cat here.']);
    expect(await all(sentences(text('Call `__init__` or my_var_name now.')))).toEqual([
      'Call __init__ or my_var_name now.',
    ]);
    expect(await all(sentences(text('**Warning. Do not.** Ok')))).toEqual(['Warning.', 'Do not.', 'Ok']);
  });

  it('ends a sentence at each heading, list item and table row, and leaves code blocks out', async () => {
    const answer = [
      '## Steps',
      '1. Open the lid',
      '2. Pour it',
      '   - slowly, no dot here',
      '',
      'Run this:',
      '```js',
      'console.log("Hi. There.");',
      '',
      '```',
      'Then stop.',
      '',
      '| Name | Age |',
      '| --- | ---: |',
      '| **Ann** | 3 |',
      '',
      '---',
      'The end',
    ].join('\n');
    expect(await all(sentences(text(answer)))).toEqual([
      'Steps',
      'Open the lid',
      'Pour it',
      'slowly, no dot here',
      'Run this:',
      'Then stop.',
      'Name, Age',
      'Ann, 3',
      'The end',
    ]);
  });

  it('finds the same sentences however the deltas split the answer', async () => {
    const answer =
      '# Plan\nFirst, **read** the\n[docs](https://x.io/a). Dr. Who said no!\n\n- one item\n10. ten\n```\ncode. here\n```\n| a | b |\n|-|-|\nLast one. Done';
    const whole = await all(sentences(text(answer)));
    expect(whole).toEqual([
      'Plan',
      'First, read the docs.',
      'Dr. Who said no!',
      'one item',
      'ten',
      'a, b',
      'Last one.',
      'Done',
    ]);
    for (let cut = 1; cut < answer.length; cut++) {
      expect(await all(sentences(text(answer.slice(0, cut), answer.slice(cut))))).toEqual(whole);
    }
    expect(await all(sentences(text(...answer)))).toEqual(whole);
  });

  it('yields a sentence before the stream ends, as soon as it is known to be whole', async () => {
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* slow(): AsyncGenerator<StreamPart> {
      yield { type: 'text-delta', text: 'First one. Sec' };
      await gate;
      yield { type: 'text-delta', text: 'ond one.' };
    }
    const iterator = sentences(slow());
    expect(await iterator.next()).toEqual({ done: false, value: 'First one.' });
    release();
    expect(await all(iterator)).toEqual(['Second one.']);
  });
});

describe('collectParts', () => {
  it('folds parts into a result with usage, tool calls and cost', async () => {
    const result = await collectParts(
      partsOf(
        { type: 'start', id: 'r1', model: 'm' },
        { type: 'text-delta', text: 'Hi' },
        {
          type: 'tool-call',
          toolCall: { id: 'c', name: 'f', arguments: {}, argumentsText: '{}', choice: 0 },
        },
        { type: 'usage', usage: { inputTokens: 1000, outputTokens: 2000 } },
        { type: 'finish', finishReason: 'tool-calls', rawFinishReason: 'tool_calls' },
      ),
      { pricing: { inputPerMillion: 1, outputPerMillion: 2 } },
    );
    expect(result).toMatchObject({
      text: 'Hi',
      responseId: 'r1',
      model: 'm',
      finishReason: 'tool-calls',
      usage: { inputTokens: 1000, outputTokens: 2000 },
      cost: { input: 0.001, output: 0.004, total: 0.005 },
      metrics: { attempts: 1 },
    });
    expect(result.toolCalls).toHaveLength(1);
  });

  it('rejects with a provider StreamError carrying what came before an error part', async () => {
    const error = await collectParts(
      partsOf(
        { type: 'text-delta', text: 'Par' },
        { type: 'error', message: 'Overloaded', errorType: 'overloaded_error', retryable: true },
      ),
    ).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(StreamError);
    expect(error).toMatchObject({
      kind: 'provider',
      retryable: true,
      providerErrorType: 'overloaded_error',
      partial: { text: 'Par' },
    });
  });
});
