import type { Command } from 'commander';
import { JOB_NAMES, type JobName } from '@jobs/queue-contracts';
import { CliError } from '../cli-error';
import { EXIT_CODES } from '../exit-codes';
import { parsePointInTime } from '../parse-point-in-time';
import type { FailedJobFilter } from './failed-job-filter';
import { parseErrorPattern } from './parse-error-pattern';
import { DEFAULT_RERUN_BATCH_SIZE } from './rerun-failed-jobs';

/** The largest `--batch-size` accepted: a batch's moves are all in flight at once on one connection. */
export const MAX_BATCH_SIZE = 5_000;

/** The options `retry` and `redrive` share, as commander hands them over (strings, unparsed). */
export interface FailedJobOptionValues {
  failedSince?: string;
  failedBefore?: string;
  name?: string[];
  errorMatches?: string;
  limit?: string;
  batchSize?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** The options after {@link readFailedJobOptions}: a filter and how to run. */
export interface FailedJobRunOptions {
  readonly filter: FailedJobFilter;
  /** True when a filter option was given (so explicit job ids cannot be combined with it). */
  readonly filtered: boolean;
  readonly batchSize: number;
  readonly dryRun: boolean;
  readonly json: boolean;
}

/**
 * Declares the selection and run options on `command`: `--failed-since`, `--failed-before`,
 * `--name` (repeatable), `--error-matches`, `--limit`, `--batch-size`, `--dry-run`, `--json`.
 * Values are parsed in the action by {@link readFailedJobOptions}, so a bad one is a `CliError`
 * naming the option (exit 2), like every other usage error of the CLI.
 */
export function addFailedJobOptions(command: Command): Command {
  return command
    .option('--failed-since <age|ISO>', 'only jobs that failed at or after this point (e.g. 2h, 7d, 2026-11-30T08:00:00Z)')
    .option('--failed-before <age|ISO>', 'only jobs that failed before this point')
    .option('--name <JOB_NAME>', 'only jobs with this name (repeatable)', (value: string, previous: string[] | undefined) => [...(previous ?? []), value])
    .option('--error-matches <regex>', 'only jobs whose failure reason matches this regular expression (RE2 syntax: no back-references or lookarounds)')
    .option('--limit <n>', 'at most this many jobs, oldest failures first')
    .option('--batch-size <n>', `jobs moved per batch, 1-${MAX_BATCH_SIZE} (default ${DEFAULT_RERUN_BATCH_SIZE})`)
    .option('--dry-run', 'show what would be re-run and change nothing')
    .option('--json', 'print the result as JSON');
}

/**
 * Parses what {@link addFailedJobOptions} declared. Ages count back from `now` (ms since the epoch).
 * @throws CliError (usage) naming the option: a point in time that cannot be read, `--failed-since`
 *   not before `--failed-before`, an unknown job name, an invalid regex, a limit or batch size
 *   that is not a positive integer (batch size at most {@link MAX_BATCH_SIZE}).
 */
export function readFailedJobOptions(values: FailedJobOptionValues, now: number): FailedJobRunOptions {
  const failedSinceMs = values.failedSince === undefined ? undefined : parsePointInTime('--failed-since', values.failedSince, now);
  const failedBeforeMs = values.failedBefore === undefined ? undefined : parsePointInTime('--failed-before', values.failedBefore, now);
  if (failedSinceMs !== undefined && failedBeforeMs !== undefined && failedSinceMs >= failedBeforeMs) {
    throw new CliError(EXIT_CODES.usage, `--failed-since (${new Date(failedSinceMs).toISOString()}) must be before --failed-before (${new Date(failedBeforeMs).toISOString()})`);
  }
  const known = Object.values(JOB_NAMES) as string[];
  const names = values.name ?? [];
  for (const name of names) {
    if (!known.includes(name)) throw new CliError(EXIT_CODES.usage, `--name: unknown job name "${name}": one of ${known.join(', ')}`);
  }
  const filter: FailedJobFilter = Object.freeze({
    failedSinceMs,
    failedBeforeMs,
    names: names.length > 0 ? (names as JobName[]) : undefined,
    errorMatches: values.errorMatches === undefined ? undefined : parseErrorPattern(values.errorMatches),
    limit: values.limit === undefined ? undefined : positiveInteger('--limit', values.limit, Number.MAX_SAFE_INTEGER),
  });
  return Object.freeze({
    filter,
    filtered: [values.failedSince, values.failedBefore, values.errorMatches, values.limit].some((v) => v !== undefined) || names.length > 0,
    batchSize: positiveInteger('--batch-size', values.batchSize ?? String(DEFAULT_RERUN_BATCH_SIZE), MAX_BATCH_SIZE),
    dryRun: values.dryRun === true,
    json: values.json === true,
  });
}

function positiveInteger(option: string, value: string, max: number): number {
  const n = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < 1 || n > max) {
    throw new CliError(EXIT_CODES.usage, `${option}: "${value}" is not a whole number from 1 to ${max}`);
  }
  return n;
}
