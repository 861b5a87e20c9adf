/** Which requests an injected fault or hold applies to; an absent field matches anything. */
export interface FakeApifyRequestMatcher {
  /** Upper-case HTTP method. */
  readonly method?: string | undefined;
  /** Tested against the path without query, e.g. `/v2/actors/jane~enricher/runs`. */
  readonly pathPattern?: RegExp | undefined;
}

/** Whether a request (`method`, `path` without query) matches `matcher`. */
export function requestMatches(matcher: FakeApifyRequestMatcher, method: string, path: string): boolean {
  if (matcher.method !== undefined && matcher.method !== method.toUpperCase()) return false;
  if (!matcher.pathPattern) return true;
  // A global or sticky pattern keeps state between `test` calls; start each from the top.
  matcher.pathPattern.lastIndex = 0;
  return matcher.pathPattern.test(path);
}
