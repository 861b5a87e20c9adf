/** Options of the fake Graph server's per-ad-account quota. */
export interface FakeMetaQuotaOptions {
  /** Calls one ad account may make in any sliding window of `windowMs`. */
  readonly calls: number;
  readonly windowMs: number;
}

/** The kind of Business Use Case a call counts against (Marketing API rate-limiting page). */
export type FakeMetaUseCase = 'ads_insights' | 'ads_management';

/** How full one ad account's window is. */
export interface FakeMetaAccountUsage {
  /** 0–100: calls in the window over `calls` (may exceed 100 when set by `useQuota`; reported capped at 100). */
  readonly pct: number;
  /** ms until the oldest call in the window leaves it (0 when empty). */
  readonly resetMs: number;
  /** Whether one more call now would go over the quota. */
  readonly full: boolean;
}

/**
 * Per-ad-account sliding-window call counts for the fake Graph server, and the usage headers
 * Graph sends on Marketing API answers, in their documented JSON shapes:
 * `x-business-use-case-usage` (`{ "<business id>": [{ type, call_count, total_cputime,
 * total_time, estimated_time_to_regain_access (minutes), ads_api_access_tier }] }`),
 * `x-ad-account-usage` (`{ acc_id_util_pct, reset_time_duration (s), ads_api_access_tier }`)
 * and `x-fb-ads-insights-throttle` (`{ app_id_util_pct, acc_id_util_pct, ads_api_access_tier }`).
 * Sources: developers.facebook.com/docs/graph-api/overview/rate-limiting and
 * /docs/marketing-api/insights/best-practices. Without a quota usage stays 0.
 */
export class FakeMetaQuota {
  private readonly calls = new Map<string, number[]>();

  constructor(private options: FakeMetaQuotaOptions | undefined) {}

  /** Replaces the quota (undefined: none); counted calls are kept. */
  set(options: FakeMetaQuotaOptions | undefined): void {
    this.options = options;
  }

  /** Counts `count` calls of `accountId` now, as another app sharing the quota would. */
  use(accountId: string, count: number, now = Date.now()): void {
    const list = this.window(accountId, now);
    for (let i = 0; i < count; i++) list.push(now);
  }

  /** The account's usage now. */
  usage(accountId: string, now = Date.now()): FakeMetaAccountUsage {
    if (!this.options) return { pct: 0, resetMs: 0, full: false };
    const list = this.window(accountId, now);
    const oldest = list[0];
    const resetMs = oldest === undefined ? 0 : Math.max(0, oldest + this.options.windowMs - now);
    return { pct: (list.length / this.options.calls) * 100, resetMs, full: list.length >= this.options.calls };
  }

  /** Counts one call when it fits; false (nothing counted) when the account is at its quota. */
  tryTake(accountId: string, now = Date.now()): boolean {
    if (!this.options) return true;
    const list = this.window(accountId, now);
    if (list.length >= this.options.calls) return false;
    list.push(now);
    return true;
  }

  /** The three usage headers for an answer about `accountId` (after this call was counted or refused). */
  headers(accountId: string, businessId: string, useCase: FakeMetaUseCase, refused: boolean, now = Date.now()): Record<string, string> {
    const usage = this.usage(accountId, now);
    const pct = Math.min(100, Math.round(usage.pct * 100) / 100);
    const regainMinutes = refused ? Math.max(1, Math.ceil(usage.resetMs / 60_000)) : 0;
    const resetSeconds = Math.ceil(usage.resetMs / 1000);
    const tier = 'standard_access';
    return {
      'x-business-use-case-usage': JSON.stringify({
        [businessId]: [
          {
            type: useCase,
            call_count: Math.round(pct),
            total_cputime: Math.round(pct / 4),
            total_time: Math.round(pct / 4),
            estimated_time_to_regain_access: regainMinutes,
            ads_api_access_tier: tier,
          },
        ],
      }),
      'x-ad-account-usage': JSON.stringify({ acc_id_util_pct: pct, reset_time_duration: resetSeconds, ads_api_access_tier: tier }),
      'x-fb-ads-insights-throttle': JSON.stringify({ app_id_util_pct: 0, acc_id_util_pct: pct, ads_api_access_tier: tier }),
    };
  }

  private window(accountId: string, now: number): number[] {
    let list = this.calls.get(accountId);
    if (!list) this.calls.set(accountId, (list = []));
    const windowMs = this.options?.windowMs ?? 0;
    while (list.length > 0 && (list[0] ?? Infinity) + windowMs <= now) list.shift();
    return list;
  }
}
