import { act } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamingMessage } from '../components/StreamingMessage.js';
import type { StreamingMessageProps } from '../components/StreamingMessage.js';
import { holdBackMath, MATH_HOLD_LIMIT } from './holdBackMath.js';
import { math } from './math.js';
import { loadKatex, renderFormula, resetFormulas } from './renderFormula.js';

let root: Root | undefined;
const container = document.createElement('div');
function render(props: Omit<StreamingMessageProps, 'plugins'>) {
  root ??= createRoot(container);
  flushSync(() => root!.render(<StreamingMessage {...props} plugins={[math()]} />));
  return container;
}
/** Renders, lets KaTeX load and the formulas render. */
async function renderLoaded(props: Omit<StreamingMessageProps, 'plugins'>) {
  render(props);
  await act(async () => {
    await loadKatex();
  });
  return container;
}
const formulas = (view: HTMLElement) => [...view.querySelectorAll('.sluice-math')];
const sources = (view: HTMLElement) =>
  [...view.querySelectorAll('.sluice-math-source')].map((node) => node.textContent);

beforeEach(() => resetFormulas());
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
});

describe('math syntax', () => {
  it('finds inline formulas with either delimiter and keeps their TeX whole (no emphasis inside)', () => {
    const view = render({ content: 'Let $a_1 + b_2$ and \\(x_*^*\\) and $x$ be.' });
    expect(sources(view)).toEqual(['a_1 + b_2', 'x_*^*', 'x']);
    expect(view.querySelector('em, strong')).toBeNull();
  });

  it('keeps prices and escaped dollars text', () => {
    for (const content of ['It costs $5 and $10.', 'It costs $5.', 'A \\$x\\$ is no formula.', 'From $5 to $ 6$.']) {
      const view = render({ content });
      expect(formulas(view)).toEqual([]);
      expect(view.querySelector('p')?.textContent).toContain('$');
    }
    expect(render({ content: 'It costs $5 and $10.' }).querySelector('p')?.textContent).toBe('It costs $5 and $10.');
  });

  it('tells a price from a formula on the same line', () => {
    const view = render({ content: 'Pay $5 for $x^2$.' });
    expect(sources(view)).toEqual(['x^2']);
    expect(view.querySelector('p')?.textContent).toBe('Pay $5 for x^2.');
  });

  it('finds displayed formulas on lines of their own, and $$…$$ or \\[…\\] within a line', () => {
    const view = render({ content: 'Before\n$$\n\\sum_i x_i\n$$\nand\n\\[ y \\]\n\nInline $$z$$ here.' });
    expect(sources(view)).toEqual(['\\sum_i x_i', 'y', 'z']);
    expect([...view.querySelectorAll('div.sluice-math-display')]).toHaveLength(2);
    expect(view.querySelector('p span.sluice-math-display')?.textContent).toBe('z');
    expect(view.querySelector('p div')).toBeNull();
  });

  it('renders as before without the plugin: dollars are text', () => {
    root ??= createRoot(container);
    flushSync(() => root!.render(<StreamingMessage content="Let $x$ be." />));
    expect(container.querySelector('p')?.textContent).toBe('Let $x$ be.');
  });
});

describe('math while streaming', () => {
  it('holds back an unfinished inline formula, then shows it whole', () => {
    expect(render({ content: 'Let $x_1 + ', streaming: true }).querySelector('p')?.textContent).toBe('Let ');
    const view = render({ content: 'Let $x_1 + y$', streaming: true });
    expect(sources(view)).toEqual(['x_1 + y']);
    expect(view.textContent).not.toContain('$');
  });

  it('shows a price as soon as the space after its number arrives', () => {
    expect(render({ content: 'It costs $', streaming: true }).querySelector('p')?.textContent).toBe('It costs ');
    expect(render({ content: 'It costs $5', streaming: true }).querySelector('p')?.textContent).toBe('It costs ');
    expect(render({ content: 'It costs $5 and', streaming: true }).querySelector('p')?.textContent).toBe(
      'It costs $5 and',
    );
  });

  it('shows a displayed formula as its source, growing, until it closes', () => {
    const view = render({ content: 'Sum:\n\n$$\n\\sum_{i=1}^n x_i', streaming: true });
    expect(sources(view)).toEqual(['\\sum_{i=1}^n x_i']);
    expect(view.querySelector('.sluice-math-display .sluice-caret')).not.toBeNull();
    expect(view.querySelector('em')).toBeNull();
  });

  it('never shows a formula masked, when the completion rewrites text before it (a link being written)', () => {
    const view = render({ content: 'Intro [see $x$](htt', streaming: true });
    expect(view.querySelector('p')?.textContent).not.toContain('xxx');
    expect(view.querySelector('p')?.textContent).toContain('see');
  });

  it('holds back a backslash at the end of the streaming text, which may open a formula', () => {
    expect(holdBackMath('So \\')).toBe(3);
    expect(render({ content: 'So \\', streaming: true }).querySelector('p')?.textContent).toBe('So ');
    expect(sources(render({ content: 'So \\(a', streaming: true }))).toEqual([]);
    expect(render({ content: 'So \\(a + b\\) then', streaming: true }).querySelector('p')?.textContent).toContain(
      'then',
    );
  });

  it('shows all a stopped reply received, an unclosed formula included', () => {
    expect(render({ content: 'The value $x +', unfinished: true }).querySelector('p')?.textContent).toBe(
      'The value $x +',
    );
  });

  it('completes unfinished markdown around formulas, never inside them', () => {
    // A formula's `*` and `_` open no emphasis for the streaming completion to close.
    const paragraph = render({ content: 'The adjoint $x^*$ and $a_i$ of the map', streaming: true });
    expect(paragraph.querySelector('p')?.textContent).toBe('x^* and a_i of the map'.replace(/^/, 'The adjoint '));
    expect(paragraph.querySelector('em')).toBeNull();
    // An open displayed formula's source stays as written: its bracket and its star.
    expect(sources(render({ content: 'See:\n\n$$\n\\left[ a^*', streaming: true }))).toEqual(['\\left[ a^*']);
    // Emphasis after a formula is still completed.
    expect(render({ content: 'With $x^*$ it is **bo', streaming: true }).querySelector('strong')?.textContent).toBe(
      'bo',
    );
  });

  it('shows an unfinished formula as its source once the message ends without closing it', () => {
    expect(render({ content: 'Sum: $x +' }).querySelector('p')?.textContent).toBe('Sum: $x +');
    expect(sources(render({ content: '$$\nx +' }))).toEqual(['x +']);
  });
});

describe('holdBackMath', () => {
  it.each([
    ['Let $x', 4],
    ['Let \\(x', 4],
    ['Let $$x', 4],
    ['a $x$ and $y', 10],
    ['costs $', 6],
    ['costs $5', 6],
    ['costs $5 and $10', 13],
  ])('holds %j back from %i', (line, at) => expect(holdBackMath(line)).toBe(at));

  it.each([
    'Let $x$',
    'costs $5 and $10 now',
    'costs $5.00 now',
    'a \\$x',
    '`$HOME` is',
    '`$HOME',
    '$$',
    '\\[ x',
    'no math',
  ])('holds nothing of %j back', (line) => expect(holdBackMath(line)).toBe(-1));

  it('gives up holding back past its limit, so a stray $ cannot hide a long line', () => {
    expect(holdBackMath(`$x${' y'.repeat(MATH_HOLD_LIMIT / 2 - 2)}`)).toBe(0);
    expect(holdBackMath(`$x${' y'.repeat(MATH_HOLD_LIMIT / 2)}`)).toBe(-1);
  });
});

describe('rendering with KaTeX', () => {
  it('shows the source in the math font until KaTeX loads, then renders each finished formula once', async () => {
    const katex = await import('katex');
    const renderToString = vi.fn<typeof katex.renderToString>(katex.renderToString);
    let resolve!: () => void;
    const loaded = loadKatex(() => new Promise((done) => (resolve = () => done({ renderToString }))));
    const view = render({ content: 'Let $x^2$ be $x^2$.', streaming: true });
    expect(sources(view)).toEqual(['x^2', 'x^2']);
    await act(async () => {
      resolve();
      await loaded;
    });
    expect(view.querySelectorAll('.katex')).toHaveLength(2);
    render({ content: 'Let $x^2$ be $x^2$. More', streaming: true });
    render({ content: 'Let $x^2$ be $x^2$. More text', streaming: false });
    expect(view.querySelectorAll('.katex')).toHaveLength(2);
    expect(renderToString).toHaveBeenCalledTimes(1);
  });

  it('shows a formula KaTeX cannot parse as its source, with the message as its title, never a KaTeX error', async () => {
    const view = await renderLoaded({ content: 'Bad $\\frac{1}{$ formula' });
    expect(view.querySelector('.katex-error, .katex')).toBeNull();
    const source = view.querySelector('.sluice-math-source')!;
    expect(source.textContent).toBe('\\frac{1}{');
    expect(source.getAttribute('title')).toMatch(/KaTeX parse error/);
  });

  it('makes no link, script, class or style from model TeX', async () => {
    const view = await renderLoaded({
      content: [
        '$\\href{javascript:alert(1)}{x}$',
        '$\\url{javascript:alert(2)}$',
        '$\\htmlClass{evil}{y}$',
        '$\\htmlStyle{color:red}{z}$',
        '$\\htmlData{foo=bar}{w}$',
        '$\\includegraphics{https://example.com/a.png}$',
        '$\\text{<script>alert(3)</script>}$',
        '$<img src=x onerror=alert(4)>$',
      ].join(' '),
    });
    expect(view.querySelectorAll('.katex').length).toBeGreaterThanOrEqual(7);
    expect(view.querySelector('a, script, img, [href], [onerror], .evil, [data-foo]')).toBeNull();
    const attributes = [...view.querySelectorAll('*')].flatMap((node) => [...node.attributes]);
    expect(attributes.filter(({ name, value }) => /^on/i.test(name) || /javascript:|red/i.test(value))).toEqual([]);
  });

  it('caps what a formula may expand to', () => {
    resetFormulas();
    return loadKatex().then(() => {
      const rendered = renderFormula('\\def\\a{\\a\\a}\\a', false);
      expect(rendered).toHaveProperty('error');
    });
  });
});
