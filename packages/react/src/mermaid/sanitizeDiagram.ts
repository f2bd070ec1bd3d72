/** Elements a diagram never needs: each a way to run script, embed another document or load something. */
const FORBIDDEN =
  'script, iframe, object, embed, frame, frameset, meta, link, base, form, input, button, textarea, img, video, audio';
/** A CSS `url(…)` that is not a reference into the diagram itself (`url(#arrowhead)`): a request the model chose. */
const EXTERNAL_URL = /url\(\s*(['"]?)(?!#)[^)]*\)/gi;

/**
 * The diagram's SVG as a detached element, made safe to insert: mermaid's `strict` level has
 * already passed it through DOMPurify, and this pass does not rely on that. It is parsed by an
 * inert document (DOMParser: nothing in it runs or loads), then loses every script-capable
 * element, every `on…` attribute, every link that does not point into the diagram (`href="#…"`),
 * and every CSS `url()` and `@import` that would fetch something. Returns `undefined` when the text
 * holds no SVG.
 */
export function sanitizeDiagram(svg: string): SVGSVGElement | undefined {
  const parsed = new DOMParser().parseFromString(svg, 'text/html');
  const root = parsed.body.querySelector('svg');
  if (root === null) return undefined;
  for (const element of root.querySelectorAll(FORBIDDEN)) element.remove();
  for (const element of [root, ...root.querySelectorAll('*')]) {
    // A copy: removing from the live attribute list while walking it would skip the next one.
    for (const { name, value } of Array.from(element.attributes)) {
      const lower = name.toLowerCase();
      if (lower.startsWith('on')) element.removeAttribute(name);
      else if ((lower === 'href' || lower === 'xlink:href' || lower === 'src') && !value.trim().startsWith('#'))
        element.removeAttribute(name);
      else if (lower === 'style') element.setAttribute(name, value.replace(EXTERNAL_URL, 'none'));
    }
    if (element.tagName.toLowerCase() === 'style' && element.textContent !== null)
      element.textContent = element.textContent.replace(/@import[^;]*;?/gi, '').replace(EXTERNAL_URL, 'none');
  }
  return root as unknown as SVGSVGElement;
}
