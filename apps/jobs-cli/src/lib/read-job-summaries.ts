import { Job, type JobType, type Queue } from 'bullmq';
import { toJobSummary, type JobSummary, type JobSummaryFields } from './job-summary';

/**
 * The job hash fields a {@link JobSummary} needs, as BullMQ 6 stores them (node_modules/bullmq,
 * `rawToJobJson`): `atm` is attemptsMade (older jobs wrote `attemptsMade`), `opts` the encoded
 * options (for `attempts`), `delay` in ms.
 */
const FIELDS = ['name', 'timestamp', 'processedOn', 'finishedOn', 'atm', 'attemptsMade', 'failedReason', 'opts', 'delay'] as const;

/**
 * One page of the jobs of `queue` in state `type` (newest first, as `queue.getJobs`), reading only
 * the fields the `list` output shows. BullMQ's `getJobs` reads each job's whole hash, twice (its
 * script, then `getJob`): one job carrying 30 MB of data made `list` read 60 MB to print a line.
 * Here: the ids (`getRanges`), then one HMGET per job, sent together; a job removed between
 * the two reads is left out.
 * @param start - first index (0-based); `end` - last index, inclusive.
 */
export async function readJobSummaries(queue: Queue, type: JobType, start: number, end: number): Promise<JobSummary[]> {
  const ids = await queue.getRanges([type], start, end, false);
  if (ids.length === 0) return [];
  // The Redis backend's own client (BullMQ 6's escape hatch to the raw connection).
  const client = await queue.getBackend().client;
  // ioredis writes each command as soon as it is called, so these go out back to back (one round trip's wait).
  const replies = await Promise.all(ids.map((id) => client.hmget(queue.toKey(id), ...FIELDS)));
  const summaries: JobSummary[] = [];
  replies.forEach((values, index) => {
    const [name, timestamp, processedOn, finishedOn, atm, attemptsMade, failedReason, opts, delay] = values;
    // An id whose hash is gone (removed meanwhile) has no timestamp: BullMQ writes one on add.
    if (timestamp === null || timestamp === undefined) return;
    const fields: JobSummaryFields = {
      id: String(ids[index]),
      name: name ?? '',
      timestamp: Number(timestamp),
      processedOn: processedOn ? Number(processedOn) : null,
      finishedOn: finishedOn ? Number(finishedOn) : null,
      attemptsMade: Number(atm ?? attemptsMade ?? 0),
      attempts: Job.optsFromJSON(opts ?? undefined).attempts,
      delay: delay ? Number(delay) : 0,
      failedReason: failedReason ?? null,
    };
    summaries.push(toJobSummary(fields));
  });
  return summaries;
}
