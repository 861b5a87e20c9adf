import ms from 'ms';

/**
 * A short relative time for tables: `3m ago` for a past `at`, `in 45s` for a future one
 * (`ms`'s short units), `-` when `at` is undefined. Times in ms since the epoch.
 */
export function formatAge(at: number | undefined, now: number): string {
  if (at === undefined || !Number.isFinite(at) || at <= 0) return '-';
  const diff = now - at;
  return diff >= 0 ? `${ms(diff)} ago` : `in ${ms(-diff)}`;
}
