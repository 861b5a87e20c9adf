import type { Redis } from 'ioredis';
import type { WrittenReply } from './reply-writer';

/** What an earlier attempt of the same draft job already did. */
export interface DraftRecord {
  /** The reply written (so a retry does not pay the model again), with the prompt's cut count. */
  readonly reply: (WrittenReply & { truncatedMessages: number }) | null;
  /** The mailbox draft created, as soon as it existed. */
  readonly draftId: string | null;
}

/**
 * Per-job record of a draft's side effects, `<keyPrefix>:draft:<jobId>` (a hash), kept
 * `ttlMs` (longer than failed jobs are kept, so any retry finds it). This is what makes a
 * retried job update its own draft instead of creating a second one.
 */
export class DraftRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(jobId: string): string {
    return `${this.keyPrefix}:draft:${jobId}`;
  }

  async load(jobId: string): Promise<DraftRecord> {
    const hash = await this.redis.hgetall(this.key(jobId));
    return {
      reply: hash['reply'] ? (JSON.parse(hash['reply']) as DraftRecord['reply']) : null,
      draftId: hash['draftId'] ?? null,
    };
  }

  async saveReply(jobId: string, reply: NonNullable<DraftRecord['reply']>): Promise<void> {
    await this.redis.multi().hset(this.key(jobId), 'reply', JSON.stringify(reply)).pexpire(this.key(jobId), this.ttlMs).exec();
  }

  async saveDraftId(jobId: string, draftId: string): Promise<void> {
    await this.redis.multi().hset(this.key(jobId), 'draftId', draftId).pexpire(this.key(jobId), this.ttlMs).exec();
  }
}
