import { decodeEntities } from './decodeEntities.js';

const ALLOWED_SCHEME = /^(?:https?|mailto):$/i;

/**
 * The link target if it is safe to put in an `href`: http, https, mailto, or relative. Anything
 * else (`javascript:`, `vbscript:`, `data:`, `file:`...) gives `undefined`, including look-alikes
 * written with entities, escapes, control characters, whitespace or mixed case, because the scheme
 * is read the way a browser would read it: decoded, stripped of what browsers ignore, lowercased.
 */
export function safeUrl(url: string | null | undefined): string | undefined {
  if (url == null) return undefined;
  const decoded = decodeEntities(url);
  // Browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces at its ends.
  // oxlint-disable-next-line no-control-regex -- these are exactly the characters browsers ignore
  const cleaned = decoded.replace(/[\t\n\r]/g, '').replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  // oxlint-disable-next-line no-control-regex -- any control character left makes the URL suspect
  if (/[\u0000-\u001f\u007f]/.test(cleaned)) return undefined;
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(cleaned);
  if (scheme === null) {
    // No scheme: relative, unless it is a protocol-relative or backslash trick pointing off-site in a
    // way some browsers read as a scheme.
    if (/^[\\/]{2}/.test(cleaned)) return cleaned.startsWith('//') ? cleaned : undefined;
    // A colon before any slash, query or fragment would make a browser read a scheme after all.
    const firstColon = cleaned.indexOf(':');
    if (firstColon !== -1 && !/[/?#]/.test(cleaned.slice(0, firstColon))) return undefined;
    return cleaned;
  }
  return ALLOWED_SCHEME.test(scheme[0]) ? cleaned : undefined;
}
