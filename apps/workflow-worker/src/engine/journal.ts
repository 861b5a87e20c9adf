import { formatZodError } from '@jobs/common';
import { workflowKeys, workflowRunRecordSchema, type WorkflowRunRecord } from '@jobs/queue-contracts';
import type { AppRedis } from '@jobs/worker-kit';
import { JournalFencedError } from './journal-fenced-error';
import { RunRecordCorruptError } from './run-record-corrupt-error';

/**
 * Writes the record only while the job lock is ours. KEYS: lock, record, events, cancel.
 * ARGV: token, record JSON, ttl ms ('0': keep no TTL, the run is still going). With a TTL the
 * run's events and cancel flag expire with the record. Returns 0 when fenced off, 1 when
 * written, 2 when written and the run's cancel flag is set (the write is a step boundary, so the
 * engine learns of a cancel there without another round trip).
 */
const FENCED_WRITE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
local ttl = tonumber(ARGV[3])
if ttl > 0 then
  redis.call('SET', KEYS[2], ARGV[2], 'PX', ttl)
  redis.call('PEXPIRE', KEYS[3], ttl)
  redis.call('PEXPIRE', KEYS[4], ttl)
else
  redis.call('SET', KEYS[2], ARGV[2])
end
if redis.call('GET', KEYS[4]) == '1' then return 2 end
return 1
`;

type FencedRedis = AppRedis & {
  workflowFencedWrite(lock: string, record: string, events: string, cancel: string, token: string, json: string, ttlMs: string): Promise<number>;
};

function withFencedWrite(redis: AppRedis): FencedRedis {
  const r = redis as FencedRedis;
  // defineCommand caches the script by SHA (EVALSHA, falling back to EVAL once).
  if (typeof r.workflowFencedWrite !== 'function') redis.defineCommand('workflowFencedWrite', { numberOfKeys: 4, lua: FENCED_WRITE });
  return r;
}

/** Where the run's job lock lives and which token holds it. */
export interface JournalFence {
  /** `${prefix}:workflow:${jobId}:lock`, BullMQ's lock key of the run's job (`prefix`: the queue's). */
  readonly lockKey: string;
  readonly jobId: string;
  /** The worker's lock token of the job (`job.token`). */
  readonly token: string;
}

/**
 * The journal of one run: its record in Redis (`${prefix}:workflow:run:${runId}`, a JSON string
 * of `workflowRunRecordSchema`; `prefix` is the `workflow` queue's, so on a Redis Cluster the
 * record, its events and cancel flag and the job's lock share one slot). Every write is fenced
 * by the BullMQ job lock: a Lua script writes only when the lock key holds this worker's token,
 * so a worker that lost its lock (stalled, its job now run by another) cannot overwrite the new
 * owner's record.
 */
export class RunJournal {
  private readonly redis: FencedRedis;
  private readonly keys: { run: string; events: string; cancel: string };

  constructor(
    redis: AppRedis,
    prefix: string,
    readonly runId: string,
    private readonly fence: JournalFence,
  ) {
    this.redis = withFencedWrite(redis);
    const keys = workflowKeys(prefix);
    this.keys = { run: keys.run(runId), events: keys.events(runId), cancel: keys.cancel(runId) };
  }

  /**
   * Reads and parses the run's record.
   * @returns null when there is none.
   * @throws RunRecordCorruptError when the stored value is not a valid record.
   */
  async read(): Promise<WorkflowRunRecord | null> {
    return readRunRecord(this.redis, this.keys.run, this.runId);
  }

  /**
   * Reads the run's record and its cancel flag in one round trip.
   * @throws RunRecordCorruptError when the stored value is not a valid record.
   */
  async open(): Promise<{ record: WorkflowRunRecord | null; cancelRequested: boolean }> {
    const [raw, cancel] = await this.redis.mget(this.keys.run, this.keys.cancel);
    return { record: raw === null || raw === undefined ? null : parseRunRecord(raw, this.runId), cancelRequested: cancel === '1' };
  }

  /**
   * After the run's job moved itself to delayed: is the run cancelled, and (with `event`) was
   * that event signalled? One round trip.
   */
  async wakeReasons(event?: string): Promise<{ cancelRequested: boolean; eventSignalled: boolean }> {
    const tx = this.redis.multi().get(this.keys.cancel);
    if (event !== undefined) tx.hexists(this.keys.events, event);
    const replies = (await tx.exec()) ?? [];
    return { cancelRequested: replies[0]?.[1] === '1', eventSignalled: replies[1]?.[1] === 1 };
  }

  /**
   * Writes `record` if the job lock is still ours.
   * @param ttlMs - set once the run ended: the record (and its events and cancel keys) expire
   *   after it; omitted while it runs (no TTL).
   * @returns whether the run's cancel flag is set (read in the same script), and the UTF-8 bytes
   *   of the record's JSON as written.
   * @throws JournalFencedError when the lock is not held with our token (nothing written).
   */
  async write(record: WorkflowRunRecord, ttlMs?: number): Promise<{ cancelRequested: boolean; bytes: number }> {
    const json = JSON.stringify(record);
    const written = await this.redis.workflowFencedWrite(
      this.fence.lockKey,
      this.keys.run,
      this.keys.events,
      this.keys.cancel,
      this.fence.token,
      json,
      String(ttlMs ?? 0),
    );
    if (written === 0) throw new JournalFencedError(this.runId, this.fence.jobId);
    return { cancelRequested: written === 2, bytes: Buffer.byteLength(json, 'utf8') };
  }
}

/**
 * Reads and parses a run record at `key`.
 * @returns null when the key does not exist.
 * @throws RunRecordCorruptError when the value is not JSON or not a valid record.
 */
export async function readRunRecord(redis: AppRedis, key: string, runId: string): Promise<WorkflowRunRecord | null> {
  const raw = await redis.get(key);
  return raw === null ? null : parseRunRecord(raw, runId);
}

/**
 * Parses a run record's stored JSON.
 * @throws RunRecordCorruptError when `raw` is not JSON or not a valid record.
 */
export function parseRunRecord(raw: string, runId: string): WorkflowRunRecord {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new RunRecordCorruptError(runId, `not JSON (${(err as Error).message})`);
  }
  const parsed = workflowRunRecordSchema.safeParse(json);
  if (!parsed.success) throw new RunRecordCorruptError(runId, formatZodError(parsed.error));
  return parsed.data;
}
