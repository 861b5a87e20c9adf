import type { AppRedis } from '@jobs/worker-kit';
import { GoogleAdsThrottle, type GoogleAdsThrottleTicket } from './google-ads-throttle';

/** Options of {@link GoogleAdsScopedThrottle}. */
export interface GoogleAdsScopedThrottleOptions {
  readonly redis: AppRedis;
  /**
   * The project-wide throttle's key, `<keyPrefix>:rate-limit:google-ads` (e.g.
   * `bull:ads-worker:rate-limit:google-ads`, `bull:{ads}:ads-worker:rate-limit:google-ads` on a
   * Redis Cluster); a customer's is `<key>:customer:<customerId>` (each with its `:pace` and
   * `:accepted` state beside it, see GoogleAdsThrottleOptions.key).
   */
  readonly key: string;
  /** GOOGLE_ADS_REQUESTS_PER_SECOND: the ceiling of both scopes. */
  readonly requestsPerSecond: number;
  /** ADS_MAX_IN_PROCESS_WAIT_MS: the longest wait held inside a job, per scope. */
  readonly maxInProcessWaitMs: number;
  /** See GoogleAdsThrottleOptions.recoveryMs (default 1 min). */
  readonly recoveryMs?: number;
}

/** Customers whose throttle one process keeps at most (their state lives in Redis; this is only the handle). */
const MAX_CUSTOMER_HANDLES = 1000;

/**
 * Google Ads quota throttling by the scope Google names in a refusal's
 * `quotaErrorDetails.rateScope`
 * (https://developers.google.com/google-ads/api/reference/rpc/v26/QuotaErrorDetails.QuotaRateScope):
 * - `ACCOUNT` ("per customer account quota"): only that customer pauses and slows down — its
 *   own GoogleAdsThrottle, shared by every process, keyed by the customer id; other customers'
 *   requests go on at the project's rate;
 * - `DEVELOPER` ("per project quota, formerly developer token quota"), `UNSPECIFIED`, `UNKNOWN`
 *   or none: every request of the deployment pauses and slows down (the project's throttle).
 * Every request takes a slot of the project's throttle; a customer's throttle adds a wait only
 * after that customer was refused (until its rate has recovered), so an unrefused customer
 * costs one extra Redis read per request; each answered request is recorded in both scopes.
 */
export class GoogleAdsScopedThrottle {
  /** The project-wide throttle (DEVELOPER scope). */
  readonly project: GoogleAdsThrottle;
  private readonly customers = new Map<string, GoogleAdsThrottle>();

  constructor(private readonly options: GoogleAdsScopedThrottleOptions) {
    this.project = this.throttle(options.key);
  }

  /** The throttle of one customer (ACCOUNT scope). @param customerId - 10 digits. */
  customer(customerId: string): GoogleAdsThrottle {
    let throttle = this.customers.get(customerId);
    if (!throttle) {
      const oldest = this.customers.keys().next();
      if (this.customers.size >= MAX_CUSTOMER_HANDLES && !oldest.done) this.customers.delete(oldest.value);
      throttle = this.throttle(`${this.options.key}:customer:${customerId}`);
      this.customers.set(customerId, throttle);
    }
    return throttle;
  }

  /**
   * Resolves when this process may send one request for `customerId`: the customer's wait (only
   * after it was refused), then the project's slot, each at the rate in force when it lets the
   * request through.
   * @returns the ticket to hand back to `accepted` or `refused`.
   * @throws RetryLaterError when either wait would exceed `maxInProcessWaitMs`; the signal's
   *   reason when aborted; a Redis error when Redis cannot be reached.
   */
  async acquire(customerId: string, signal: AbortSignal, note?: (message: string) => void): Promise<GoogleAdsThrottleTicket> {
    await this.customer(customerId).acquire(signal, note, { onlyWhenLowered: true });
    return this.project.acquire(signal, note);
  }

  /** Records that Google answered a request for `customerId`, in both scopes (what a refusal's lowered rate is measured against). */
  async accepted(customerId: string): Promise<void> {
    await Promise.all([this.project.accepted(), this.customer(customerId).accepted()]);
  }

  /**
   * Records a refusal in the scope Google named (see the class): pauses it for `delayMs` and,
   * once per wave, lowers its shared rate (see GoogleAdsThrottle).
   * @param ticket - what `acquire` returned for the refused request.
   * @returns the scope that slowed down, its rate now in force (requests per second) and whether this refusal lowered it.
   */
  async refused(customerId: string, rateScope: string | null, delayMs: number, ticket?: GoogleAdsThrottleTicket): Promise<{ scope: 'customer' | 'project'; requestsPerSecond: number; lowered: boolean }> {
    if (rateScope === 'ACCOUNT') return { scope: 'customer', ...(await this.customer(customerId).refused(delayMs, ticket)) };
    return { scope: 'project', ...(await this.project.refused(delayMs, ticket)) };
  }

  private throttle(key: string): GoogleAdsThrottle {
    const { redis, requestsPerSecond, maxInProcessWaitMs, recoveryMs } = this.options;
    return new GoogleAdsThrottle({ redis, key, requestsPerSecond, maxInProcessWaitMs, recoveryMs });
  }
}
