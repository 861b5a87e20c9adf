// Names an `X-Robots-Tag` directive group may address that apply to this crawler's audit: the
// audit reports what search engines (Google first) will do, so `googlebot:` groups count.
const RELEVANT_AGENTS = new Set(['googlebot', 'robots', '*']);

/**
 * Whether `X-Robots-Tag` header values keep the page out of search results: a `noindex` or
 * `none` directive, either unprefixed or in a group addressed to `googlebot:` (other bots'
 * groups, e.g. `bingbot: noindex`, are ignored). Rules from Google Search Central, "Robots meta
 * tag, data-nosnippet, and X-Robots-Tag specifications".
 *
 * @param header - the header's value(s) as Node gives them (a repeated header is an array).
 */
export function xRobotsTagNoindex(header: string | string[] | undefined): boolean {
  if (header === undefined) return false;
  const values = Array.isArray(header) ? header : [header];
  return values.some((value) => {
    let directives = value;
    const prefixed = /^\s*([a-z0-9_.*-]+)\s*:(.*)$/i.exec(value);
    // `unavailable_after: <date>` is a directive with a value, not a bot name.
    if (prefixed && prefixed[1].toLowerCase() !== 'unavailable_after') {
      if (!RELEVANT_AGENTS.has(prefixed[1].toLowerCase())) return false;
      directives = prefixed[2];
    }
    return directives
      .split(',')
      .map((d) => d.trim().toLowerCase())
      .some((d) => d === 'noindex' || d === 'none');
  });
}
