import { FaultQueue } from '../shared/fault-queue';
import { fakeGoogleAdsErrors, type FakeGoogleAdsError, type FakeGoogleAdsRateScope } from './fake-google-ads-error';

/** Options of {@link FakeGoogleAdsFaults.failNext}. */
export interface FakeGoogleAdsFailNextOptions {
  /** How many of the next matching authenticated requests fail. */
  readonly count: number;
  /**
   * 500 (`INTERNAL`, with a GoogleAdsFailure `internalError`), 503 (`UNAVAILABLE`, front end) or
   * 429 (`RESOURCE_EXHAUSTED`, `quotaError: RESOURCE_TEMPORARILY_EXHAUSTED`, counted in
   * `refusals`), or 403 (`PERMISSION_DENIED` with the `authorizationError` below: the worker's
   * own Cloud project or developer token refused); default 500.
   */
  readonly status?: 403 | 429 | 500 | 503;
  /** With 403: the `authorizationError` code sent; default `CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION`. */
  readonly authorizationError?: string;
  /** With 429: the `retryDelay` sent, seconds; default 1. */
  readonly retryDelaySeconds?: number;
  /** With 429: the `quotaErrorDetails.rateScope` sent; default `DEVELOPER`. */
  readonly rateScope?: FakeGoogleAdsRateScope;
  /**
   * Fail in the middle of the stream instead: HTTP 200, the first batch of results, then an
   * element `{ error }` — how searchStream reports an error met after it started streaming.
   */
  readonly midStream?: boolean;
  /** Only requests whose path matches; default every path. */
  readonly pathPattern?: RegExp;
}

/** An injected failure: answered before the query runs, or after its first batch. */
export interface FakeGoogleAdsFault {
  readonly error: FakeGoogleAdsError;
  readonly midStream: boolean;
}

/** Injected failures of the fake Google Ads server, taken in the order they were set up. */
export class FakeGoogleAdsFaults {
  readonly #queue = new FaultQueue<FakeGoogleAdsFault>();

  /**
   * The next `count` matching requests fail as `options` say.
   * @throws RangeError for a count that is not an integer ≥ 0.
   */
  failNext({ count, status = 500, retryDelaySeconds = 1, rateScope = 'DEVELOPER', authorizationError = 'CLOUD_PROJECT_NOT_APPROVED_FOR_PRODUCTION', midStream = false, pathPattern }: FakeGoogleAdsFailNextOptions): void {
    const error = (): FakeGoogleAdsError => {
      if (status === 429) return fakeGoogleAdsErrors.quota(retryDelaySeconds, 'RESOURCE_TEMPORARILY_EXHAUSTED', rateScope);
      if (status === 403) return fakeGoogleAdsErrors.projectRefused(authorizationError);
      return status === 503 ? fakeGoogleAdsErrors.unavailable() : fakeGoogleAdsErrors.internal();
    };
    this.#queue.add(count, { pathPattern }, () => ({ error: error(), midStream }));
  }

  /** The failure for this request, using it up, or undefined. */
  take(method: string, path: string): FakeGoogleAdsFault | undefined {
    return this.#queue.take(method, path);
  }
}
