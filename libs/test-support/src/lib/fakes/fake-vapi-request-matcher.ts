/** Which requests an injected behaviour applies to: a method (any case) and a pattern tested against the path (no query). Both optional. */
export interface FakeVapiRequestMatcher {
  readonly method?: string;
  readonly pathPattern?: RegExp;
}

/** Whether `method path` is one `matcher` applies to. */
export function fakeVapiRequestMatches(matcher: FakeVapiRequestMatcher, method: string, path: string): boolean {
  if (matcher.method !== undefined && matcher.method.toUpperCase() !== method.toUpperCase()) return false;
  if (!matcher.pathPattern) return true;
  // A global or sticky pattern keeps state between `test` calls; start each from the top.
  matcher.pathPattern.lastIndex = 0;
  return matcher.pathPattern.test(path);
}
