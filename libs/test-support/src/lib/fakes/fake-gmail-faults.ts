import type { GmailApiError } from './fake-gmail-api-error';

interface FaultRule {
  remaining: number;
  readonly pathPattern: RegExp | undefined;
  readonly error: () => GmailApiError;
}

/**
 * Injected failures of one mailbox, in the order they were set up: each request takes the first
 * rule with requests left whose pattern (if any) matches its path.
 */
export class FaultQueue {
  #rules: FaultRule[] = [];

  /** The next `count` requests (matching `pathPattern` when given) fail with `error()`. */
  add(count: number, pathPattern: RegExp | undefined, error: () => GmailApiError): void {
    this.#rules.push({ remaining: count, pathPattern, error });
  }

  /** The failure for a request to `path` (without query), using it up, or `undefined`. */
  take(path: string): GmailApiError | undefined {
    const rule = this.#rules.find((r) => {
      if (!r.pathPattern) return true;
      // A global or sticky pattern keeps state between `test` calls; start each from the top.
      r.pathPattern.lastIndex = 0;
      return r.pathPattern.test(path);
    });
    if (!rule) return undefined;
    if (--rule.remaining === 0) this.#rules = this.#rules.filter((r) => r !== rule);
    return rule.error();
  }
}
