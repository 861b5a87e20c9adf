import type { Redis } from 'ioredis';
import type { LeadOutcome } from './validate-leads';

/** What is known of one batch of a job. */
export interface BatchState {
  /** The actor run started for it, recorded as soon as Apify answered. */
  readonly runId: string | null;
  /** When an attempt was about to start its run (ms): a later attempt without a runId looks for it from here. */
  readonly startingSince?: number | null;
  /** Its leads' outcomes, once read: the batch is done and never runs again. */
  readonly outcomes: LeadOutcome[] | null;
}

/**
 * Per job (its id and creation time), one Redis hash `<keyPrefix>:job:<jobKey>` with a field per
 * batch, kept `ttlMs`. This is what lets a retried or restarted job skip batches that are done
 * and wait on runs already started instead of paying for new ones.
 */
export class BatchStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(jobKey: string): string {
    return `${this.keyPrefix}:job:${jobKey}`;
  }

  async loadAll(jobKey: string): Promise<Map<number, BatchState>> {
    const hash = await this.redis.hgetall(this.key(jobKey));
    const states = new Map<number, BatchState>();
    for (const [field, value] of Object.entries(hash)) {
      states.set(Number(field), JSON.parse(value) as BatchState);
    }
    return states;
  }

  async save(jobKey: string, batch: number, state: BatchState): Promise<void> {
    await this.redis.multi().hset(this.key(jobKey), String(batch), JSON.stringify(state)).pexpire(this.key(jobKey), this.ttlMs).exec();
  }
}
