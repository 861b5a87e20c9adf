/**
 * Most of `times` (ms timestamps, any order) that fall within any one second (a sliding
 * window `[t, t + 1000)`): what a per-second rate limit counts.
 */
export function busiestSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let from = 0;
  for (let i = 0; i < sorted.length; i += 1) {
    while ((sorted[i] as number) - (sorted[from] as number) >= 1000) from += 1;
    most = Math.max(most, i - from + 1);
  }
  return most;
}
