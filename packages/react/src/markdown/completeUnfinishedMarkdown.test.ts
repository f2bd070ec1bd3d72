import { describe, expect, it } from 'vitest';
import { completeUnfinishedMarkdown as complete } from './completeUnfinishedMarkdown.js';

describe('completeUnfinishedMarkdown', () => {
  it.each([
    ['Hello **bo', 'Hello **bo**'],
    ['Hello **bold*', 'Hello **bold**'],
    ['Hello **bold**', 'Hello **bold**'],
    ['Hello **', 'Hello '],
    ['an *ital', 'an *ital*'],
    ['an _ital', 'an _ital_'],
    ['snake_case_name', 'snake_case_name'],
    ['a ~~gone', 'a ~~gone~~'],
    ['**bold and *both', '**bold and *both***'],
    ['**bold **', '**bold**'],
    ['2 * 3 = 6', '2 * 3 = 6'],
    ['call `fn(', 'call `fn(`'],
    ['call `', 'call '],
    ['`a` and `b', '`a` and `b`'],
    ['`**not bold', '`**not bold`'],
    ['see [the docs](https://exa', 'see the docs'],
    ['see [the docs]', 'see the docs'],
    ['see [the do', 'see the do'],
    ['see ![a cat](http://x', 'see '],
    ['- [', '- '],
    ['- [x', '- '],
    ['escaped \\*star', 'escaped \\*star'],
  ])('completes inline syntax: %j', (input, output) => {
    expect(complete(input)).toBe(output);
  });

  it.each([
    // Indented four columns past its opening fence, or by a tab, a fence is a line of the code.
    ['```\ncode\n    ```\nx = **y', '```\ncode\n    ```\nx = **y'],
    ['```\ncode\n\t```\nx = **y', '```\ncode\n\t```\nx = **y'],
    // A tab after the run: not a closing fence either.
    ['```\ncode\n```\t\nx = **y', '```\ncode\n```\t\nx = **y'],
    // Spaces after it, or a fence in a list indented as the list's items are: closed.
    ['```\ncode\n```  \nx = **y', '```\ncode\n```  \nx = **y**'],
    ['- item\n\n  ```\n  code\n  ```\n\n  x = **y', '- item\n\n  ```\n  code\n  ```\n\n  x = **y**'],
  ])('reads where a code block ends as marked does: %j', (input, output) => {
    expect(complete(input)).toBe(output);
  });

  it.each([
    ['Title\n-', 'Title\n'],
    ['Title\n--', 'Title\n'],
    ['Title\n=', 'Title\n'],
    ['- one\n-', '- one\n'],
    ['1. one\n2.', '1. one\n'],
    ['text\n#', 'text\n'],
    ['text\n``', 'text\n'],
    ['text\n***', 'text\n'],
  ])('holds back a lone marker line: %j', (input, output) => {
    expect(complete(input)).toBe(output);
  });

  it('shows a table from its complete header row, and holds a row being written', () => {
    expect(complete('| a | b |\n')).toBe('| a | b |\n| --- | --- |');
    expect(complete('| a | b |\n| -')).toBe('| a | b |\n| --- | --- |');
    expect(complete('| a | b |\n|---|---|\n| 1 | 2')).toBe('| a | b |\n|---|---|\n');
    expect(complete('| a | b')).toBe('');
  });

  it('leaves code blocks alone, except a half-typed closing fence', () => {
    expect(complete('```js\nconst a = **b')).toBe('```js\nconst a = **b');
    expect(complete('```js\nconst a = 1;\n``')).toBe('```js\nconst a = 1;');
    expect(complete('```js\ncode\n```\nafter **b')).toBe('```js\ncode\n```\nafter **b**');
  });

  it('keeps a closed code block closed when it holds a blank line (its closing fence is no code span)', () => {
    expect(complete('```ts\na\n\nb\n```\n')).toBe('```ts\na\n\nb\n```\n');
    expect(complete('```ts\na\n\nb\n```')).toBe('```ts\na\n\nb\n```');
    expect(complete('```ts\na\n\n`b\n```\n\nafter *x')).toBe('```ts\na\n\n`b\n```\n\nafter *x*');
  });
});
