import type { FakeVapiHttpError } from './fake-vapi-http-error';
import { fakeVapiRequestMatches, type FakeVapiRequestMatcher } from './fake-vapi-request-matcher';

interface FaultRule {
  remaining: number;
  readonly matcher: FakeVapiRequestMatcher;
  readonly error: () => FakeVapiHttpError;
}

/**
 * Injected failures, in the order they were set up: each request (authenticated, on a known
 * route) takes the first rule with requests left that matches it, and fails with its error.
 */
export class FakeVapiFaultQueue {
  #rules: FaultRule[] = [];

  /** The next `count` matching requests fail with `error()`. */
  add(count: number, matcher: FakeVapiRequestMatcher, error: () => FakeVapiHttpError): void {
    if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be an integer ≥ 0, got ${count}`);
    if (count > 0) this.#rules.push({ remaining: count, matcher, error });
  }

  /** The failure for `method path`, using it up, or `undefined`. */
  take(method: string, path: string): FakeVapiHttpError | undefined {
    const rule = this.#rules.find((r) => fakeVapiRequestMatches(r.matcher, method, path));
    if (!rule) return undefined;
    if (--rule.remaining === 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule.error();
  }
}
