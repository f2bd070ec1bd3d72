import type { KatexOptions } from 'katex';

/** A formula rendered by KaTeX: its HTML, or why KaTeX could not parse it. */
export type RenderedFormula = { readonly html: string } | { readonly error: string };

/** What renders a formula: KaTeX's `renderToString` (a test can give its own). */
export type RenderToString = (tex: string, options: KatexOptions) => string;

/**
 * KaTeX's options for model-written TeX. `trust: false` refuses every command that could reach
 * outside the formula (`\href`, `\url`, `\includegraphics`, `\htmlClass`, `\htmlId`,
 * `\htmlStyle`, `\htmlData`): they render as their own name in the error colour. KaTeX escapes all
 * text it places in its HTML, so `<script>` in a formula is the characters `<script>`. The limits
 * keep a hostile formula from expanding macros without end or drawing a box the size of the page.
 * `throwOnError` is on so that a formula KaTeX cannot parse is shown as its source, not as KaTeX's
 * red error text.
 */
export const katexOptions: KatexOptions = {
  throwOnError: true,
  trust: false,
  strict: 'ignore',
  output: 'htmlAndMathml',
  maxExpand: 1000,
  maxSize: 20,
};

/** The most formulas kept rendered; past it the oldest are rendered again if they come back. */
const CACHE_SIZE = 1000;
const cache = new Map<string, RenderedFormula>();
let renderToString: RenderToString | undefined;
let loading: Promise<RenderToString> | undefined;

/**
 * Loads KaTeX the first time a formula is finished (never on the streaming path), once.
 * `load` replaces the dynamic import, for tests.
 */
export function loadKatex(
  load: () => Promise<{ renderToString: RenderToString }> = () => import('katex'),
): Promise<RenderToString> {
  if (loading !== undefined) return loading;
  const current: Promise<RenderToString> = load().then((module) => {
    // A load that was forgotten (by `resetFormulas`) before it finished sets nothing.
    if (loading === current) renderToString = module.renderToString;
    return module.renderToString;
  });
  return (loading = current);
}

/** The formula rendered, from the cache when it has been before; `undefined` while KaTeX is not loaded. */
export function renderFormula(tex: string, display: boolean): RenderedFormula | undefined {
  const key = `${display ? 'D' : 'I'}${tex}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  if (renderToString === undefined) return undefined;
  let rendered: RenderedFormula;
  try {
    rendered = { html: renderToString(tex, { ...katexOptions, displayMode: display }) };
  } catch (error) {
    rendered = { error: error instanceof Error ? error.message : String(error) };
  }
  if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, rendered);
  return rendered;
}

/** Forgets KaTeX and every rendered formula (for tests). */
export function resetFormulas(): void {
  cache.clear();
  renderToString = undefined;
  loading = undefined;
}
