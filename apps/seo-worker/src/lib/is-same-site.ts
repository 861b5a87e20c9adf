/**
 * Whether two URLs belong to the same site for the crawler: the same host name once a leading
 * `www.` is dropped, and the same port, where a scheme's default port (80 for `http:`, 443 for
 * `https:`) counts as the same as any other default. So `http://example.com/` and
 * `https://www.example.com/` are one site (the usual redirects between them stay inside the
 * crawl), while `http://127.0.0.1:8080/` and `http://127.0.0.1:9090/` are two.
 */
export function isSameSite(a: URL, b: URL): boolean {
  return siteHost(a) === siteHost(b) && a.port === b.port;
}

function siteHost(url: URL): string {
  return url.hostname.toLowerCase().replace(/^www\./, '');
}
