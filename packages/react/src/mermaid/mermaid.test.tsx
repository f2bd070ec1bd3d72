import { act, fireEvent } from '@testing-library/react';
import { flushSync } from 'react-dom';
import { createRoot } from 'react-dom/client';
import type { Root } from 'react-dom/client';
import type { Mermaid } from 'mermaid';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamingMessage } from '../components/StreamingMessage.js';
import { mermaid } from './mermaid.js';
import { resetDiagrams } from './renderDiagram.js';
import { sanitizeDiagram } from './sanitizeDiagram.js';

/** What a hostile model might make mermaid emit, had mermaid's own sanitising missed it. */
const hostileSvg = [
  '<svg xmlns="http://www.w3.org/2000/svg" id="d" onload="alert(1)">',
  '<style>@import url(https://evil.example/x.css); .node { fill: url(https://evil.example/t); stroke: url(#ok); }</style>',
  '<script>alert(2)</script>',
  '<a href="javascript:alert(3)"><text>link</text></a>',
  '<a xlink:href="javascript:alert(4)"><text>old link</text></a>',
  '<image href="https://evil.example/pixel.png" />',
  '<use href="#marker" />',
  '<g onclick="alert(5)" style="background: url(https://evil.example/b)"><text>A</text></g>',
  '<foreignObject><div><img src="x" onerror="alert(6)"><iframe src="https://evil.example"></iframe>B</div></foreignObject>',
  '</svg>',
].join('');

/** A fake mermaid: `parse` rejects source containing "invalid", `render` returns `svg`. */
function fakeMermaid(svg = '<svg xmlns="http://www.w3.org/2000/svg"><text>drawn</text></svg>') {
  const api = {
    initialize: vi.fn<Mermaid['initialize']>(),
    parse: vi.fn<(source: string) => Promise<{ diagramType: string }>>(async (source) => {
      if (source.includes('invalid')) throw new Error('Parse error on line 2: expecting an arrow');
      return { diagramType: 'flowchart' };
    }),
    render: vi.fn<() => Promise<{ svg: string; diagramType: string }>>(async () => ({ svg, diagramType: 'flowchart' })),
  };
  return {
    api,
    load: vi.fn<() => Promise<{ default: Mermaid }>>(async () => ({ default: api as unknown as Mermaid })),
  };
}

let root: Root | undefined;
const container = document.createElement('div');
function render(content: string, plugin: ReturnType<typeof mermaid>, streaming = false) {
  root ??= createRoot(container);
  flushSync(() => root!.render(<StreamingMessage content={content} streaming={streaming} plugins={[plugin]} />));
  return container;
}
/** Lets the fake mermaid's promises settle and React commit what they bring. */
async function settle() {
  await act(async () => {
    for (let turn = 0; turn < 5; turn++) await Promise.resolve();
  });
}

beforeEach(() => resetDiagrams());
afterEach(() => {
  act(() => root?.unmount());
  root = undefined;
});

const diagram = '```mermaid\ngraph TD\n  A --> B\n```\n';

describe('mermaid diagrams', () => {
  it('shows the source while the fence is open, without loading mermaid', async () => {
    const { load } = fakeMermaid();
    const view = render('```mermaid\ngraph TD\n  A --', mermaid({ load }), true);
    await settle();
    expect(view.querySelector('pre code')?.textContent).toContain('A --');
    expect(view.querySelector('svg')).toBeNull();
    expect(load).not.toHaveBeenCalled();
  });

  it('draws the diagram once the fence closes, once per source, and toggles to its source', async () => {
    const { api, load } = fakeMermaid();
    const plugin = mermaid({ load });
    const view = render(diagram, plugin);
    expect(view.querySelector('pre code')?.textContent).toBe('graph TD\n  A --> B');
    await settle();
    expect(view.querySelector('.sluice-diagram-view svg')?.textContent).toBe('drawn');
    expect(api.initialize).toHaveBeenCalledWith(expect.objectContaining({ securityLevel: 'strict' }));
    const toggle = view.querySelector<HTMLButtonElement>('.sluice-diagram button')!;
    expect(toggle.textContent).toBe('Source');
    act(() => fireEvent.click(toggle));
    expect(view.querySelector('svg')).toBeNull();
    expect(view.querySelector('pre code')?.textContent).toBe('graph TD\n  A --> B');
    act(() => fireEvent.click(view.querySelector<HTMLButtonElement>('.sluice-diagram button')!));
    expect(view.querySelector('.sluice-diagram-view svg')).not.toBeNull();
    render(`${diagram}\nMore text.`, plugin);
    await settle();
    expect(api.render).toHaveBeenCalledTimes(1);
  });

  it('shows mermaid’s message and the source for a diagram it cannot draw', async () => {
    const { api, load } = fakeMermaid();
    const view = render('```mermaid\ngraph TD\n  invalid\n```\n', mermaid({ load }));
    await settle();
    expect(view.querySelector('[role="alert"]')?.textContent).toBe(
      'This diagram could not be drawn: Parse error on line 2: expecting an arrow',
    );
    expect(view.querySelector('pre code')?.textContent).toBe('graph TD\n  invalid');
    expect(api.render).not.toHaveBeenCalled();
    expect(view.querySelector('svg, .sluice-diagram button')).toBeNull();
  });

  it('keeps the source when mermaid cannot be loaded', async () => {
    const view = render(diagram, mermaid({ load: () => Promise.reject(new Error('offline')) }));
    await settle();
    expect(view.querySelector('pre code')?.textContent).toBe('graph TD\n  A --> B');
    expect(view.querySelector('[role="alert"], svg')).toBeNull();
  });

  it('inserts no script, handler, outside link or outside request, whatever the SVG holds', async () => {
    const { load } = fakeMermaid(hostileSvg);
    const view = render(diagram, mermaid({ load }));
    await settle();
    const svg = view.querySelector('.sluice-diagram-view svg')!;
    expect(svg).not.toBeNull();
    expect(svg.querySelector('script, iframe, img')).toBeNull();
    const attributes = [svg, ...svg.querySelectorAll('*')].flatMap((node) => [...node.attributes]);
    expect(attributes.filter(({ name }) => /^on/i.test(name))).toEqual([]);
    expect(attributes.filter(({ value }) => /javascript:|evil\.example/i.test(value))).toEqual([]);
    expect(svg.querySelector('style')?.textContent).not.toMatch(/@import|evil/);
    expect(svg.querySelector('use')?.getAttribute('href')).toBe('#marker');
    expect(svg.textContent).toContain('B');
  });

  it('leaves other code blocks to CodeBlock', () => {
    const view = render('```js\nlet a\n```\n', mermaid({ load: fakeMermaid().load }));
    expect(view.querySelector('.sluice-diagram')).toBeNull();
    expect(view.querySelector('pre code')?.textContent).toBe('let a');
  });
});

describe('sanitizeDiagram, against known ways around a sanitiser', () => {
  it('removes SVG animation that would set a link to javascript:, and attributes that fetch', () => {
    const svg = sanitizeDiagram(
      '<svg><a href="#x"><animate attributeName="href" values="javascript:alert(1)"/>' +
        '<set attributeName="xlink:href" to="javascript:alert(2)"/><text>Click</text></a>' +
        '<foreignObject><table background="https://evil.example/t.png"><tr><td><a ping="https://evil.example/p" href="#y">x</a></td></tr></table></foreignObject>' +
        '<image href="https://evil.example/i.png"/></svg>',
    )!;
    expect(svg.querySelector('animate, set, image')).toBeNull();
    const values = [svg, ...svg.querySelectorAll('*')].flatMap((node) => [...node.attributes].map((a) => a.value));
    expect(values.filter((value) => /javascript:|evil\.example/i.test(value))).toEqual([]);
    expect(svg.textContent).toContain('Click');
  });

  it('makes CSS unable to fetch, however it is spelled', () => {
    const svg = sanitizeDiagram(
      '<svg><style>@\\69mport "https://evil.example/a.css"; .a { background: u\\72l(https://evil.example/b) }' +
        ' .b { background: image-set("https://evil.example/c" 1x) } .c { marker-end: url(#arrow) }</style>' +
        '<g style="background: -webkit-image-set(\'https://evil.example/d\' 1x)"></g></svg>',
    )!;
    const css = svg.querySelector('style')!.textContent! + svg.querySelector('g')!.getAttribute('style')!;
    expect(css).not.toMatch(/evil\.example|@import/i);
    // A reference into the diagram stays.
    expect(css).toContain('url(#arrow)');
  });
});

describe('sanitizeDiagram', () => {
  it('finds no diagram in text without an SVG', () => {
    expect(sanitizeDiagram('<p>no</p>')).toBeUndefined();
  });
});
