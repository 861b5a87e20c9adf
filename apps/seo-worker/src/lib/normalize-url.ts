/**
 * The crawler's key for a link target: `href` resolved against `base`, fragment dropped, query
 * kept, as the WHATWG URL serialiser writes it (lower-case scheme and host, default port
 * dropped, `/` for an empty path, percent-encoding of unsafe characters).
 *
 * @returns the absolute URL string, or `null` when `href` is not an `http:`/`https:` URL
 *   (`mailto:`, `javascript:`, `data:` ...) or cannot be parsed.
 */
export function normalizeUrl(href: string, base?: string | URL): string | null {
  let url: URL;
  try {
    url = new URL(href.trim(), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  url.hash = '';
  return url.href;
}
