import type { Job } from 'bullmq';
import { JOB_CONTRACTS, workflowKeys, workflowRunIdOf } from '@jobs/queue-contracts';
import type { AppRedis, Logger } from '@jobs/worker-kit';
import { parseRunRecord } from './journal';
import { ENDED_RUN_STATUSES, endRun } from './run-record';
import type { WorkflowEngineDeps } from './run-workflow';

/**
 * Replaces the record at KEYS[1] only if it still holds exactly ARGV[1] (compare-and-set: no job
 * lock is held any more, so the record's own value is the fence). KEYS: record, events, cancel.
 * ARGV: expected JSON, new JSON, ttl ms. Returns 1 when written, 0 when the record changed.
 */
const REPLACE_IF_UNCHANGED = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
redis.call('SET', KEYS[1], ARGV[2], 'PX', ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
redis.call('PEXPIRE', KEYS[3], ttl)
return 1
`;

type CasRedis = AppRedis & {
  workflowReplaceIfUnchanged(run: string, events: string, cancel: string, expected: string, json: string, ttlMs: string): Promise<number>;
};

function withReplaceIfUnchanged(redis: AppRedis): CasRedis {
  const r = redis as CasRedis;
  if (typeof r.workflowReplaceIfUnchanged !== 'function') redis.defineCommand('workflowReplaceIfUnchanged', { numberOfKeys: 3, lua: REPLACE_IF_UNCHANGED });
  return r;
}

/** What {@link closeRunAfterJobFailed} needs of the engine's dependencies. */
export type CloseRunDeps = Pick<WorkflowEngineDeps, 'redis' | 'prefix' | 'recordTtlMs' | 'now'>;

/**
 * After a `WORKFLOW_EXECUTION` job failed for good from anywhere — notably BullMQ failing it
 * outside the handler ("job stalled more than allowable limit", after more than
 * `WORKER_MAX_STALLED_COUNT` stalls) — marks the run's record `failed` with the job's reason and
 * gives it the ended-record TTL, so `getWorkflowRun` does not show it `running` for ever.
 *
 * The job lock is gone by then, so this is not the journal's fenced write: the record is read
 * and replaced only while it still holds what was read (compare-and-set in one Lua call), belongs
 * to this job (`jobId`) and has not ended. A record the handler closed already
 * (`closeRunOnFinalFailure`) is left alone. Other job names and unparsable data are ignored.
 * @returns whether the record was marked failed.
 * @throws RunRecordCorruptError for an unreadable record; whatever ioredis throws (the kit logs
 *   a hook's error).
 */
export async function closeRunAfterJobFailed(deps: CloseRunDeps, job: Job, err: Error, log: Logger): Promise<boolean> {
  if (job.name !== 'WORKFLOW_EXECUTION' || !job.id) return false;
  const data = JOB_CONTRACTS.WORKFLOW_EXECUTION.data.safeParse(job.data);
  if (!data.success) return false;
  const runId = workflowRunIdOf(data.data);
  const keys = workflowKeys(deps.prefix);
  const runKey = keys.run(runId);
  const raw = await deps.redis.get(runKey);
  if (raw === null) return false;
  const record = parseRunRecord(raw, runId);
  if (record.jobId !== job.id || ENDED_RUN_STATUSES.has(record.status)) return false;
  const reason = err.message;
  endRun(record, 'failed', (deps.now ?? Date.now)(), { error: `the run's job failed for good: ${reason}` });
  const written = await withReplaceIfUnchanged(deps.redis).workflowReplaceIfUnchanged(
    runKey,
    keys.events(runId),
    keys.cancel(runId),
    raw,
    JSON.stringify(record),
    String(deps.recordTtlMs),
  );
  if (written === 1) log.warn({ runId, jobId: job.id, reason }, 'workflow run failed: its job failed for good outside the run (e.g. stalled too often)');
  return written === 1;
}
