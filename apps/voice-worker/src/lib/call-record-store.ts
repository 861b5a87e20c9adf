import { formatZodError } from '@jobs/common';
import { acquireRedisLock, type AppRedis, type HeldRedisLock } from '@jobs/worker-kit';
import { CALL_RECORD_VERSION, callRecordHashSchema, type CallRecord } from './call-record-schema';
import type { EndReport } from './end-report-schema';
import { CallRecordCorruptError } from './errors';

/**
 * Call records in Redis, `<keyPrefix>:call:<callId>` (a hash, layout version
 * {@link CALL_RECORD_VERSION} in field `v`), kept `ttlMs` after the last write. The record is
 * what makes placing a call idempotent: written before and right after Vapi's create, read by
 * every later attempt. Every read is parsed ({@link callRecordHashSchema}); what does not parse
 * is a {@link CallRecordCorruptError} naming the key, never a half-read record.
 *
 * Works on a standalone Redis or a Redis Cluster (`AppRedis`): every command, MULTI and lock
 * script touches one key, and with `keyPrefix` from `appKeyPrefix` a call's record and its
 * placing lock also share the voice queue's slot.
 */
export class CallRecordStore {
  constructor(
    private readonly redis: AppRedis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  /** The Redis key of `callId`'s record. */
  key(callId: string): string {
    return `${this.keyPrefix}:call:${callId}`;
  }

  /**
   * The record of `callId` (all fields null when there is none).
   * @throws CallRecordCorruptError when the hash is of another version or a field does not parse.
   */
  async load(callId: string): Promise<CallRecord> {
    const key = this.key(callId);
    const parsed = callRecordHashSchema.safeParse(await this.redis.hgetall(key));
    if (parsed.success) return parsed.data;
    throw new CallRecordCorruptError(key, formatZodError(parsed.error, 'record'), { cause: parsed.error });
  }

  /**
   * Writes `fields` (stamped with the layout version) and renews the record's TTL, in one MULTI.
   * @throws the Redis error of either command (EXEC answers per command, so a failed HSET, e.g.
   *   WRONGTYPE, would otherwise pass as written), or of the MULTI itself.
   */
  private async set(callId: string, fields: Record<string, string>): Promise<void> {
    const key = this.key(callId);
    // One key: a MULTI a cluster runs on the record's node.
    const replies = await this.redis
      .multi()
      .hset(key, { v: String(CALL_RECORD_VERSION), ...fields })
      .pexpire(key, this.ttlMs)
      .exec();
    const failed = replies?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }

  /** Binds the call to the job following it (the webhook receiver wakes that job). */
  setJob(callId: string, jobId: string): Promise<void> {
    return this.set(callId, { jobId });
  }

  /** Written just before `POST /call`; `at` in ms since the epoch. */
  markPlacing(callId: string, at: number): Promise<void> {
    return this.set(callId, { placingSince: String(at) });
  }

  /** Written as soon as Vapi answered the create (or the call an earlier attempt placed was found). */
  setVapiCallId(callId: string, vapiCallId: string): Promise<void> {
    return this.set(callId, { vapiCallId });
  }

  /** Forgets a call that never rang (refused for Vapi's concurrency limit): the next attempt places a new one. */
  async clearVapiCallId(callId: string): Promise<void> {
    await this.redis.hdel(this.key(callId), 'vapiCallId', 'placingSince', 'endReport');
  }

  /** Keeps Vapi's end-of-call report (the parts the result is built from). */
  setEndReport(callId: string, report: EndReport): Promise<void> {
    return this.set(callId, { endReport: JSON.stringify(report) });
  }

  /**
   * One placing at a time per call: two jobs for the same `callId` (a double enqueue with
   * different job ids) must not both create it. The lock lives `ttlMs` and is extended every
   * third of that while held, so a worker that dies frees it within `ttlMs`.
   * @returns the held lock (its `signal` aborts with LockLostError if the lock is lost), or null when held elsewhere.
   */
  async lockPlacing(callId: string, ttlMs: number): Promise<HeldRedisLock | null> {
    const held = await acquireRedisLock(this.redis, this.placingLockKey(callId), ttlMs);
    return 'release' in held ? held : null;
  }

  /** The Redis key of `callId`'s placing lock. */
  placingLockKey(callId: string): string {
    return `${this.key(callId)}:placing-lock`;
  }
}
