import type { Redis } from 'ioredis';
import { acquireRedisLock, type HeldRedisLock } from '@jobs/worker-kit';

/** What the worker knows of one call (the app's `callId`) between job runs. */
export interface CallRecord {
  /** Vapi's call id, recorded as soon as Vapi answered the create. */
  readonly vapiCallId: string | null;
  /** When an attempt was about to create the call (ms): a later attempt without a vapiCallId looks for it from here. */
  readonly placingSince: number | null;
  /** The BullMQ job following the call, woken by the webhook receiver. */
  readonly jobId: string | null;
  /** Vapi's end-of-call report, when the webhook brought it. */
  readonly endReport: Record<string, unknown> | null;
}

/**
 * Call records in Redis, `<keyPrefix>:call:<callId>` (a hash), kept `ttlMs` after the last
 * write. The record is what makes placing a call idempotent: written before and right after
 * Vapi's create, read by every later attempt.
 */
export class CallRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(callId: string): string {
    return `${this.keyPrefix}:call:${callId}`;
  }

  async load(callId: string): Promise<CallRecord> {
    const h = await this.redis.hgetall(this.key(callId));
    return {
      vapiCallId: h['vapiCallId'] ?? null,
      placingSince: h['placingSince'] ? Number(h['placingSince']) : null,
      jobId: h['jobId'] ?? null,
      endReport: h['endReport'] ? (JSON.parse(h['endReport']) as Record<string, unknown>) : null,
    };
  }

  private async set(callId: string, fields: Record<string, string>): Promise<void> {
    await this.redis.multi().hset(this.key(callId), fields).pexpire(this.key(callId), this.ttlMs).exec();
  }

  /** Binds the call to the job following it (the webhook receiver wakes that job). */
  setJob(callId: string, jobId: string): Promise<void> {
    return this.set(callId, { jobId });
  }

  /** Written just before `POST /call`. */
  markPlacing(callId: string, at: number): Promise<void> {
    return this.set(callId, { placingSince: String(at) });
  }

  setVapiCallId(callId: string, vapiCallId: string): Promise<void> {
    return this.set(callId, { vapiCallId });
  }

  /** Forgets a call that never rang (refused for Vapi's concurrency limit): the next attempt places a new one. */
  async clearVapiCallId(callId: string): Promise<void> {
    await this.redis.hdel(this.key(callId), 'vapiCallId', 'placingSince', 'endReport');
  }

  setEndReport(callId: string, report: Record<string, unknown>): Promise<void> {
    return this.set(callId, { endReport: JSON.stringify(report) });
  }

  /**
   * One placing at a time per call: two jobs for the same `callId` (a double enqueue with
   * different job ids) must not both create it. The lock lives `ttlMs` and is extended every
   * third of that while held, so a worker that dies frees it within `ttlMs`.
   * @returns the held lock (its `signal` aborts if the lock is lost), or null when held elsewhere.
   */
  async lockPlacing(callId: string, ttlMs: number): Promise<HeldRedisLock | null> {
    const held = await acquireRedisLock(this.redis, `${this.key(callId)}:placing-lock`, ttlMs);
    return 'release' in held ? held : null;
  }
}
