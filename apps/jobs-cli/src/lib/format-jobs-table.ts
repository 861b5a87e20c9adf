import { createTable } from './create-table';
import { formatAge } from './format-age';
import type { JobSummary } from './job-summary';
import type { ListState } from './job-list-state';

/** Longest failure reason shown in a table cell; `jobs-cli show` has the whole text. */
export const REASON_CHARS = 60;

/**
 * The `list` table: id, name, attempts (made/allowed), when (added, due or finished, relative to
 * `now`), and for failed jobs the failure reason cut to {@link REASON_CHARS} characters.
 */
export function formatJobsTable(jobs: readonly JobSummary[], state: ListState, now: number): string {
  const failed = state === 'failed';
  const table = createTable(['id', 'name', 'attempts', whenHeading(state), ...(failed ? ['failed reason'] : [])]);
  for (const job of jobs) {
    const when = state === 'delayed' ? job.delayedUntil : state === 'completed' || failed ? job.finishedOn : state === 'active' ? job.processedOn : job.timestamp;
    const row = [job.id, job.name, `${job.attemptsMade}/${job.attempts}`, formatAge(when ?? undefined, now)];
    if (failed) row.push(truncate(job.failedReason ?? '', REASON_CHARS));
    table.push(row);
  }
  return table.toString();
}

function whenHeading(state: ListState): string {
  if (state === 'delayed') return 'due';
  if (state === 'completed' || state === 'failed') return 'finished';
  if (state === 'active') return 'started';
  return 'added';
}

function truncate(text: string, chars: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= chars ? line : `${line.slice(0, chars - 1)}…`;
}
