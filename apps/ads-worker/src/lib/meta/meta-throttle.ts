import { RateLimiter, RetryLaterError, type AppRedis } from '@jobs/worker-kit';
import type { MetaScopeUsage, MetaUsage } from './meta-usage-headers';

/** Options of {@link MetaThrottle}. */
export interface MetaThrottleOptions {
  readonly redis: AppRedis;
  /** The ads worker's key prefix (its config's `keyPrefix`); limiter keys are `<keyPrefix>:rate-limit:meta:account:<act_id>` and `…:meta:app`. */
  readonly keyPrefix: string;
  /** Meta's id of the ad account (`act_<digits>`). */
  readonly platformAccountId: string;
  readonly accountCallsPerSecond: number;
  readonly appCallsPerSecond: number;
  /** Usage % from which calls are spaced out more (default config 75). */
  readonly slowDownAtPct: number;
  /** Usage % at which no call is made until the reset time (default config 95). */
  readonly pauseAtPct: number;
  /** A wait longer than this (ms) is not held in process: RetryLaterError instead. */
  readonly maxInProcessWaitMs: number;
  /** Pause (ms) when a limit is hit and the headers give no time; default 60 000 (Meta blocks ad-account throttling for "a minute"). */
  readonly defaultResetMs?: number;
}

/**
 * How long to hold every call of a scope after an answer showing `usage`:
 * - at or above `pauseAtPct`: the reset time the headers give (else `defaultResetMs`);
 * - between `slowDownAtPct` and `pauseAtPct`: a growing share of it, `(pct − slow) / (pause −
 *   slow) × reset / 4` — up to a quarter of the reset time just below the pause threshold, so
 *   the remaining headroom is spread out instead of spent in a burst;
 * - below: 0.
 */
export function metaPacingPauseMs(usage: MetaScopeUsage, options: Pick<MetaThrottleOptions, 'slowDownAtPct' | 'pauseAtPct' | 'defaultResetMs'>): number {
  const resetMs = usage.resetMs ?? options.defaultResetMs ?? 60_000;
  if (usage.pct >= options.pauseAtPct) return resetMs;
  if (usage.pct < options.slowDownAtPct) return 0;
  return Math.round(((usage.pct - options.slowDownAtPct) / Math.max(1, options.pauseAtPct - options.slowDownAtPct)) * (resetMs / 4));
}

/**
 * Meta call pacing shared by every worker process through two Redis-backed kit `RateLimiter`s:
 * one per ad account (Marketing API limits are per ad account) and one for the app (code 4,
 * `app_id_util_pct`). Before each call: when a pause set by any process is longer than
 * `maxInProcessWaitMs`, `RetryLaterError` (the job comes back later, no attempt used); else wait
 * (abortable) for a slot. After each answer: pause as {@link metaPacingPauseMs} says. After a
 * refusal: pause for the time the headers give.
 */
export class MetaThrottle {
  private readonly account: RateLimiter;
  private readonly app: RateLimiter;

  constructor(private readonly options: MetaThrottleOptions) {
    const key = `${options.keyPrefix}:rate-limit:meta`;
    this.account = new RateLimiter({ redis: options.redis, key: `${key}:account:${options.platformAccountId}`, perSecond: options.accountCallsPerSecond });
    this.app = new RateLimiter({ redis: options.redis, key: `${key}:app`, perSecond: options.appCallsPerSecond });
  }

  /**
   * Resolves when a call may be made. The whole wait (both limiters' lines and pauses) is held
   * to `maxInProcessWaitMs` plus a second's grace for Redis round trips: a pause that another
   * process sets or lengthens while this one waits cannot keep the job's slot longer.
   * @throws RetryLaterError (delay: the pause left, at least `maxInProcessWaitMs`) when the
   *   shared pause is longer than `maxInProcessWaitMs` or the wait runs past it; the signal's
   *   reason when aborted.
   */
  async beforeCall(signal: AbortSignal, note?: (message: string) => void): Promise<void> {
    signal.throwIfAborted();
    const max = this.options.maxInProcessWaitMs;
    const waitMs = await this.pausedForMs();
    if (waitMs > max) {
      throw new RetryLaterError(waitMs, `Meta asked to wait ${Math.ceil(waitMs / 1000)} s for ad account ${this.options.platformAccountId}; trying again later`);
    }
    if (waitMs >= 1000) note?.(`waiting ${Math.ceil(waitMs / 1000)} s: Meta's usage for ad account ${this.options.platformAccountId} is near its limit`);
    const timeout = AbortSignal.timeout(max + 1000);
    const bounded = AbortSignal.any([signal, timeout]);
    try {
      await this.app.take(bounded);
      await this.account.take(bounded);
    } catch (err) {
      if (!timeout.aborted || signal.aborted) throw err;
      const left = await this.pausedForMs();
      throw new RetryLaterError(Math.max(left, max), `Meta calls for ad account ${this.options.platformAccountId} were held for longer than ${Math.ceil(max / 1000)} s; trying again later`);
    }
  }

  /** Paces after an answer (success or error) that carried `usage`. */
  async afterAnswer(usage: MetaUsage): Promise<void> {
    const accountMs = metaPacingPauseMs(usage.account, this.options);
    const appMs = metaPacingPauseMs(usage.app, this.options);
    if (accountMs > 0) await this.account.pauseFor(accountMs);
    if (appMs > 0) await this.app.pauseFor(appMs);
  }

  /** Pauses the refused scope for the time the headers give (else `defaultResetMs`); returns that time (ms). */
  async afterRefusal(scope: 'account' | 'app', usage: MetaUsage): Promise<number> {
    const ms = usage[scope].resetMs ?? this.options.defaultResetMs ?? 60_000;
    await (scope === 'account' ? this.account : this.app).pauseFor(ms);
    return ms;
  }

  /** How long (ms, by Redis's clock) before either limiter's pause ends. */
  private async pausedForMs(): Promise<number> {
    const [account, app] = await Promise.all([this.account.pausedForMs(), this.app.pausedForMs()]);
    return Math.max(account, app);
  }
}
