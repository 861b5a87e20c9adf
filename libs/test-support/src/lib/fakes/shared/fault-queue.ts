import { requestMatches, type RequestMatcher } from './request-matcher';

interface FaultRule<F> {
  remaining: number;
  readonly matcher: RequestMatcher;
  readonly fault: () => F;
}

/**
 * Injected failures of a fake server (throttling, 5xx), in the order they were set up: each
 * request takes the first rule with requests left that matches it. `F` is the vendor's own
 * error or fault description; the queue only counts and matches.
 */
export class FaultQueue<F> {
  #rules: FaultRule<F>[] = [];

  /**
   * The next `count` requests matching `matcher` fail with `fault()` (called once per request,
   * so each answer is fresh). A count of 0 adds nothing.
   * @throws RangeError when `count` is not an integer ≥ 0.
   */
  add(count: number, matcher: RequestMatcher, fault: () => F): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
    if (count > 0) this.#rules.push({ remaining: count, matcher, fault });
  }

  /** The failure for `method path` (path without query), using it up, or `undefined`. */
  take(method: string, path: string): F | undefined {
    const rule = this.#rules.find((r) => requestMatches(r.matcher, method, path));
    if (!rule) return undefined;
    if (--rule.remaining === 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule.fault();
  }
}
