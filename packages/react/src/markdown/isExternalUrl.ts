/** Whether a URL is absolute with a host (so loading it would reach another origin). */
export function isExternalUrl(url: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url) || url.startsWith('//');
}
