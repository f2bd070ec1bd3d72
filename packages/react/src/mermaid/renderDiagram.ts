import type { Mermaid, MermaidConfig } from 'mermaid';
import { sanitizeDiagram } from './sanitizeDiagram.js';

/**
 * A finished diagram: its SVG, sanitised, as an element to copy into the page (never as markup to
 * parse again), or mermaid's message for source it cannot draw; `undefined` when mermaid could not
 * be loaded (the diagram stays its source).
 */
export type RenderedDiagram = { readonly svg: SVGSVGElement } | { readonly error: string } | undefined;

/** Loads mermaid's module (its `default` export is the API). A test or an app can give its own. */
export type LoadMermaid = () => Promise<{ default: Mermaid }>;

/**
 * How diagrams from a model are drawn. `strict` sanitises mermaid's SVG with DOMPurify and turns
 * off `click` callbacks and links; it is chosen over `sandbox` (an iframe per diagram), whose
 * frame cannot size to its diagram or take the page's theme. `secure` stops a diagram's own
 * `%%{init}%%` directive from changing these, or from bringing CSS of its own (`themeCSS`), which
 * could fetch from anywhere. `suppressErrorRendering` keeps mermaid's error picture out of the page:
 * Sluice shows the message itself.
 */
export const mermaidConfig: MermaidConfig = {
  startOnLoad: false,
  securityLevel: 'strict',
  suppressErrorRendering: true,
  secure: [
    'secure',
    'securityLevel',
    'startOnLoad',
    'maxTextSize',
    'maxEdges',
    'suppressErrorRendering',
    'themeCSS',
    'fontFamily',
    'altFontFamily',
  ],
};

const diagrams = new Map<string, Promise<RenderedDiagram>>();
/** The most diagrams kept drawn; past it the oldest are drawn again if they come back. */
const CACHE_SIZE = 100;
let loaded: Promise<Mermaid> | undefined;
let count = 0;

/**
 * Draws a finished diagram once: the same source again (the message rendered anew, another
 * message) gets the same promise. Mermaid loads on the first call, never while a diagram streams.
 */
export function renderDiagram(source: string, load: LoadMermaid): Promise<RenderedDiagram> {
  let diagram = diagrams.get(source);
  if (diagram === undefined) {
    diagram = draw(source, load);
    if (diagrams.size >= CACHE_SIZE) diagrams.delete(diagrams.keys().next().value!);
    diagrams.set(source, diagram);
  }
  return diagram;
}

async function draw(source: string, load: LoadMermaid): Promise<RenderedDiagram> {
  let mermaid: Mermaid;
  try {
    mermaid = await (loaded ??= load().then(({ default: api }) => {
      api.initialize(mermaidConfig);
      return api;
    }));
  } catch {
    // Offline, say: the diagram stays its source, and the next one tries again.
    loaded = undefined;
    diagrams.delete(source);
    return undefined;
  }
  try {
    await mermaid.parse(source);
    const { svg } = await mermaid.render(`sluice-diagram-${++count}`, source);
    const safe = sanitizeDiagram(svg);
    return safe === undefined ? { error: 'The diagram produced no picture.' } : { svg: safe };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

/** Forgets mermaid and every drawn diagram (for tests). */
export function resetDiagrams(): void {
  diagrams.clear();
  loaded = undefined;
}
