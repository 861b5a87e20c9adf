/**
 * Which requests an injected fault or hold applies to, in every fake server; an absent field
 * matches anything.
 */
export interface RequestMatcher {
  /** HTTP method, any case, e.g. `'POST'`. */
  readonly method?: string | undefined;
  /** Tested against the path without query, e.g. `/v2/actors/jane~enricher/runs`. */
  readonly pathPattern?: RegExp | undefined;
}

/** Whether a request (`method` in any case, `path` without query) is one `matcher` applies to. */
export function requestMatches(matcher: RequestMatcher, method: string, path: string): boolean {
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!matcher.pathPattern) return true;
  // A global or sticky pattern keeps state between `test` calls; start each from the top.
  matcher.pathPattern.lastIndex = 0;
  return matcher.pathPattern.test(path);
}
