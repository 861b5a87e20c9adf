/** How close one quota scope (an ad account, or the app) is to Meta's limit, from one answer. */
export interface MetaScopeUsage {
  /** Highest usage percentage the headers give for the scope (0 when none). */
  readonly pct: number;
  /** ms until the usage resets / access is regained, when the headers say; null when they do not. */
  readonly resetMs: number | null;
}

/** Usage read from one Graph answer's headers. */
export interface MetaUsage {
  readonly account: MetaScopeUsage;
  readonly app: MetaScopeUsage;
}

/**
 * Reads Meta's usage headers (names in any case; values JSON strings), documented on
 * developers.facebook.com/docs/graph-api/overview/rate-limiting and
 * /docs/marketing-api/insights/best-practices:
 * - `x-business-use-case-usage`: `{ "<business id>": [{ type, call_count, total_cputime,
 *   total_time, estimated_time_to_regain_access }] }` — percentages, and minutes to regain access;
 *   the Marketing API's limits are per ad account, so they count for the account scope;
 * - `x-ad-account-usage`: `{ acc_id_util_pct, reset_time_duration }` — %, seconds;
 * - `x-fb-ads-insights-throttle`: `{ app_id_util_pct, acc_id_util_pct }` — %;
 * - `x-app-usage`: `{ call_count, total_cputime, total_time }` — the app's % (Graph platform limit).
 * The account's reset time is `reset_time_duration` when positive (seconds: the precise figure),
 * else the longest positive `estimated_time_to_regain_access` (whole minutes, an estimate).
 * Malformed or absent headers count as no usage (never an error: they are advice).
 */
export function readMetaUsage(headers: unknown): MetaUsage {
  const get = headerReader(headers);
  let accountPct = 0;
  let regainMs: number | null = null;
  const buc = parse(get('x-business-use-case-usage'));
  if (buc && typeof buc === 'object') {
    for (const entries of Object.values(buc as Record<string, unknown>)) {
      if (!Array.isArray(entries)) continue;
      for (const entry of entries as Record<string, unknown>[]) {
        accountPct = Math.max(accountPct, num(entry['call_count']), num(entry['total_cputime']), num(entry['total_time']));
        const minutes = num(entry['estimated_time_to_regain_access']);
        if (minutes > 0) regainMs = Math.max(regainMs ?? 0, minutes * 60_000);
      }
    }
  }
  const adAccount = parse(get('x-ad-account-usage')) as Record<string, unknown> | undefined;
  const resetSeconds = num(adAccount?.['reset_time_duration']);
  accountPct = Math.max(accountPct, num(adAccount?.['acc_id_util_pct']));
  const insights = parse(get('x-fb-ads-insights-throttle')) as Record<string, unknown> | undefined;
  accountPct = Math.max(accountPct, num(insights?.['acc_id_util_pct']));
  const appUsage = parse(get('x-app-usage')) as Record<string, unknown> | undefined;
  const appPct = Math.max(num(insights?.['app_id_util_pct']), num(appUsage?.['call_count']), num(appUsage?.['total_cputime']), num(appUsage?.['total_time']));
  return {
    account: { pct: accountPct, resetMs: resetSeconds > 0 ? resetSeconds * 1000 : regainMs },
    app: { pct: appPct, resetMs: null },
  };
}

function headerReader(headers: unknown): (name: string) => unknown {
  if (!headers || typeof headers !== 'object') return () => undefined;
  const h = headers as { get?: (name: string) => unknown } & Record<string, unknown>;
  const lower = new Map(Object.entries(h).map(([k, v]) => [k.toLowerCase(), v]));
  return (name) => lower.get(name) ?? (typeof h.get === 'function' ? h.get(name) : undefined);
}

function parse(value: unknown): unknown {
  if (typeof value !== 'string') return value && typeof value === 'object' ? value : undefined;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function num(value: unknown): number {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;
}
