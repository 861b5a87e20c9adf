/**
 * A full page URL from Graph (a cursor's `paging.next` / `previous`) made safe to call with the
 * job's token: its path and query kept, its origin replaced by the configured Graph origin
 * (`graphUrl`, with its path prefix if it has one), and its `access_token` set to `accessToken`. Graph writes its own public origin
 * into these links; calling them as given would skip a configured `META_GRAPH_URL` and would
 * send the token to whatever host an answer named.
 * @throws TypeError when `url` or `graphUrl` is not an absolute URL.
 */
export function metaPageUrl(url: string, graphUrl: string, accessToken: string): string {
  const page = new URL(url);
  const base = new URL(graphUrl);
  // A Graph URL behind a path prefix (a proxy at https://proxy.example/graph) keeps its prefix.
  const prefix = base.pathname.replace(/\/+$/, '');
  const path = prefix && !page.pathname.startsWith(`${prefix}/`) ? `${prefix}${page.pathname}` : page.pathname;
  const target = new URL(`${path}${page.search}`, base.origin);
  target.searchParams.set('access_token', accessToken);
  return target.href;
}
