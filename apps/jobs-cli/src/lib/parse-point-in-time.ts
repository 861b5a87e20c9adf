import ms from 'ms';
import { CliError } from './cli-error';
import { EXIT_CODES } from './exit-codes';

/**
 * Reads a `--failed-since` / `--older-than` style value as a point in time, in ms since the
 * epoch: either an age counted back from `now` in `ms`'s units (`90s`, `30m`, `2h`, `7d`;
 * a bare number is milliseconds) or an ISO 8601 date-time (`2026-11-30T08:00:00Z`).
 * @param option - the option's name, for the error (`--failed-since`).
 * @throws CliError (usage) naming the option and the value.
 */
export function parsePointInTime(option: string, value: string, now: number): number {
  const trimmed = value.trim();
  // `ms` returns undefined (or NaN) for what it cannot read; it reads "1 day", "2 hours" too.
  const age = /^\d/.test(trimmed) && !/^\d{4}-\d{2}-\d{2}/.test(trimmed) ? ms(trimmed as ms.StringValue) : undefined;
  if (typeof age === 'number' && Number.isFinite(age) && age >= 0) return now - age;
  if (/^\d{4}-\d{2}-\d{2}/.test(trimmed)) {
    const at = Date.parse(trimmed);
    if (Number.isFinite(at)) return at;
  }
  throw new CliError(
    EXIT_CODES.usage,
    `${option}: "${value}" is neither an age (e.g. 30m, 2h, 7d) nor an ISO date-time (e.g. 2026-11-30T08:00:00Z)`,
  );
}
