import { act } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import type { Tokens } from 'marked';
import { afterEach, describe, expect, it } from 'vitest';
import { CodeBlock } from '../components/CodeBlock.js';
import { StreamingMessage } from '../components/StreamingMessage.js';
import type { StreamingMessageProps } from '../components/StreamingMessage.js';
import { combinePlugins } from './combinePlugins.js';
import { loadOpenBlocks, MarkdownBlocks } from './MarkdownBlocks.js';
import type { PiecedParagraph } from './OpenParagraph.js';
import type { MarkdownPlugin } from './MarkdownPlugin.js';

/** `==text==` marks text; an unclosed `==` waits while the message streams. Code in `shout` is upper-cased. */
const marks: MarkdownPlugin = {
  combine: combinePlugins,
  tokenizers: [
    {
      name: 'mark',
      level: 'inline',
      start: (source) => source.indexOf('=='),
      tokenizer(source) {
        const match = /^==([^=\n]+)==/.exec(source);
        return match ? { type: 'mark', raw: match[0], text: match[1] } : undefined;
      },
    },
  ],
  renderToken: (token) => (token.type === 'mark' ? <mark>{(token as Tokens.Generic).text}</mark> : undefined),
  holdBack(line) {
    const open = line.lastIndexOf('==');
    const count = line.split('==').length - 1;
    return count % 2 === 1 ? open : -1;
  },
};
const shout: MarkdownPlugin = {
  combine: combinePlugins,
  renderCode: (props) =>
    props.language === 'shout' ? <CodeBlock {...props}>{props.code.toUpperCase()}</CodeBlock> : undefined,
};

let root: Root | undefined;
const container = document.createElement('div');
function render(props: StreamingMessageProps) {
  root ??= createRoot(container);
  flushSync(() => root!.render(<StreamingMessage {...props} />));
  return container;
}
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
});

describe('markdown plugins', () => {
  it('lexes and renders a plugin’s own syntax, inline and in every block kind', () => {
    const view = render({ content: 'A ==key== word.\n\n- in a ==list==\n', plugins: [marks] });
    expect([...view.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['key', 'list']);
    expect(view.textContent).not.toContain('==');
  });

  it('holds back an unfinished construct while streaming, and shows what came before it', () => {
    const plugins = [marks];
    expect(render({ content: 'Before ==hal', streaming: true, plugins }).textContent).toBe('Before ');
    expect(render({ content: 'Before ==half==', streaming: true, plugins }).querySelector('mark')?.textContent).toBe(
      'half',
    );
  });

  it('holds nothing back once the message is complete: an unclosed marker is text', () => {
    const view = render({ content: 'Costs ==5', plugins: [marks] });
    expect(view.querySelector('p')?.textContent).toBe('Costs ==5');
  });

  it('gives a code block to the first plugin that takes it, and the rest to CodeBlock', () => {
    const view = render({
      content: '```shout\nhello\n```\n\n```js\nlet a\n```\n',
      plugins: [marks, shout],
    });
    const codes = [...view.querySelectorAll('pre code')].map((code) => code.textContent);
    expect(codes).toEqual(['HELLO', 'let a']);
  });

  it('renders as before with no plugins: a plugin token type is unknown text', () => {
    expect(render({ content: 'A ==key== word.' }).querySelector('p')?.textContent).toBe('A ==key== word.');
  });

  it('keeps lexing a long streaming paragraph a piece at a time with plugins that bring no syntax (pacing)', async () => {
    await loadOpenBlocks();
    const withoutSyntax: MarkdownPlugin = { combine: combinePlugins, useText: (text) => text };
    const paragraph = 'The stream renders words one after another as they arrive. '.repeat(40);
    const piecesWith = (plugins: MarkdownPlugin[]) => {
      const blocks = new MarkdownBlocks(combinePlugins(plugins));
      let last: Partial<PiecedParagraph> = {};
      for (let end = 4; end <= paragraph.length; end += 4)
        last = blocks.update(paragraph.slice(0, end), true, true).tail.at(-1)!.token as Partial<PiecedParagraph>;
      return last.pieces?.length ?? 0;
    };
    expect(piecesWith([withoutSyntax])).toBeGreaterThan(5);
    // A plugin with syntax of its own has the paragraph lexed whole: a piece could cut its syntax.
    expect(piecesWith([withoutSyntax, marks])).toBe(0);
  });
});
