import { FaultQueue } from '../shared/fault-queue';
import { apifyErrors, type FakeApifyApiError } from './fake-apify-api-error';

/** Options of {@link FakeApifyFaults.failNext}. */
export interface FakeApifyFailNextOptions {
  /** How many of the next matching requests fail. */
  readonly count: number;
  /**
   * HTTP status; default 500. 429 answers `rate-limit-exceeded` (counted in `rateLimited`), any
   * other status a generic `{ error: { type, message } }` body.
   */
  readonly status?: number;
  /** Only requests whose path (without query) matches fail; default every path. */
  readonly pathPattern?: RegExp;
  /** Only requests with this method (any case) fail; default every method. */
  readonly method?: string;
}

/** Options of {@link FakeApifyFaults.throttle}. */
export interface FakeApifyThrottleOptions {
  /** How many of the next requests answer 429 `rate-limit-exceeded`. */
  readonly count: number;
  /** `Retry-After` header, seconds; default 1; `null` sends none. */
  readonly retryAfterSeconds?: number | null;
}

/**
 * Injected failures, answered before the request is processed (so a failed `POST .../runs`
 * starts no run). Each request takes the first rule, in the order set up, that matches it.
 */
export class FakeApifyFaults {
  readonly #queue = new FaultQueue<FakeApifyApiError>();

  /** The next `count` requests answer 429 `rate-limit-exceeded`. */
  throttle({ count, retryAfterSeconds = 1 }: FakeApifyThrottleOptions): void {
    this.#add(count, undefined, undefined, () => apifyErrors.rateLimitExceeded(undefined, retryAfterSeconds));
  }

  /** The next `count` matching requests fail with `status` (default 500). */
  failNext({ count, status = 500, pathPattern, method }: FakeApifyFailNextOptions): void {
    if (!Number.isInteger(status) || status < 400 || status > 599) throw new Error(`failNext takes a 4xx or 5xx status, got ${status}`);
    const error = status === 429 ? () => apifyErrors.rateLimitExceeded(undefined, 1) : () => apifyErrors.injected(status);
    this.#add(count, method, pathPattern, error);
  }

  /** The failure for this request, using it up, or `undefined`. */
  take(method: string, path: string): FakeApifyApiError | undefined {
    return this.#queue.take(method, path);
  }

  #add(count: number, method: string | undefined, pathPattern: RegExp | undefined, error: () => FakeApifyApiError): void {
    this.#queue.add(count, { method, pathPattern }, error);
  }
}
