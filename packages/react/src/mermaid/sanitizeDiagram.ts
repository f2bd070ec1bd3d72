/** Elements a diagram never needs: each a way to run script, embed another document or load something. */
const FORBIDDEN =
  'script, iframe, object, embed, frame, frameset, meta, link, base, form, input, button, textarea, img, video, audio, ' +
  // SVG animation can set an attribute after the fact (an `href` to `javascript:`), past any check of attributes.
  'animate, set, animateMotion, animateTransform, discard, image, feImage';
/** A CSS `url(…)` that is not a reference into the diagram itself (`url(#arrowhead)`): a request the model chose. */
const EXTERNAL_URL = /url\(\s*(['"]?)(?!#)[^)]*\)/gi;
/** CSS functions that fetch an image without `url(`. */
const IMAGE_FUNCTION = /(?:-webkit-)?(?:image-set|image|cross-fade|element)\([^)]*\)/gi;
/** Attributes that make a request, or go somewhere, when they do not point into the diagram. */
const URL_ATTRIBUTES: ReadonlySet<string> = new Set([
  'href',
  'xlink:href',
  'src',
  'srcset',
  'background',
  'ping',
  'action',
  'formaction',
  'poster',
  'lowsrc',
  'dynsrc',
  'data',
  'codebase',
  'longdesc',
  'cite',
]);

/**
 * CSS made unable to fetch: escapes decoded first (`u\\72l(` is `url(`), then `@import`, every
 * `url()` out of the diagram and every image function.
 */
function inertCss(css: string): string {
  return css
    .replace(/\\([0-9a-f]{1,6})\s?/gi, (_, hex: string) => {
      const code = Number.parseInt(hex, 16);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '';
    })
    .replace(/\\(.)/g, '$1')
    .replace(/@import[^;]*;?/gi, '')
    .replace(EXTERNAL_URL, 'none')
    .replace(IMAGE_FUNCTION, 'none');
}

/**
 * The diagram's SVG as a detached element, made safe to insert: mermaid's `strict` level has
 * already passed it through DOMPurify, and this pass does not rely on that. It is parsed by an
 * inert document (DOMParser: nothing in it runs or loads), then loses every script-capable
 * element and animation, every `on…` attribute, every link or source that does not point into the
 * diagram (`href="#…"`), and every CSS `url()`, image function and `@import` that would fetch
 * something (CSS escapes removed first, so none is spelled around the check). Returns `undefined` when the text
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
      else if (URL_ATTRIBUTES.has(lower) && !value.trim().startsWith('#')) element.removeAttribute(name);
      else if (lower === 'style') element.setAttribute(name, inertCss(value));
    }
    if (element.tagName.toLowerCase() === 'style' && element.textContent !== null)
      element.textContent = inertCss(element.textContent);
  }
  return root as unknown as SVGSVGElement;
}
