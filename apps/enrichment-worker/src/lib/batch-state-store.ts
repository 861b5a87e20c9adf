import { formatZodError } from '@jobs/common';
import type { AppRedis } from '@jobs/worker-kit';
import { BATCH_RECORD_VERSION, batchRecordSchema, type BatchState } from './batch-record-schema';
import { BatchRecordCorruptError } from './errors';

/**
 * Per job (its id and creation time), one Redis hash `<keyPrefix>:job:<jobKey>` with a field per
 * batch (its index) holding the batch's JSON record ({@link batchRecordSchema}), kept `ttlMs`.
 * This is what lets a retried or restarted job skip batches that are done and wait on runs
 * already started instead of paying for new ones.
 *
 * Cluster mode: `redis` may be a Cluster; each command and MULTI here touches the one job hash,
 * and `keyPrefix` (from `appKeyPrefix`) puts every job hash in the enrichment queue's slot.
 */
export class BatchStateStore {
  constructor(
    private readonly redis: AppRedis,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(jobKey: string): string {
    return `${this.keyPrefix}:job:${jobKey}`;
  }

  /**
   * Every batch record of the job, by batch index, each parsed.
   * @throws BatchRecordCorruptError naming the key and field of the first record that is not
   *   JSON, not a batch index, or not of the schema.
   */
  async loadAll(jobKey: string): Promise<Map<number, BatchState>> {
    const key = this.key(jobKey);
    const hash = await this.redis.hgetall(key);
    const states = new Map<number, BatchState>();
    for (const [field, value] of Object.entries(hash)) {
      if (!/^\d{1,9}$/.test(field)) throw new BatchRecordCorruptError(key, field, 'not a batch index');
      let json: unknown;
      try {
        json = JSON.parse(value);
      } catch (err) {
        throw new BatchRecordCorruptError(key, field, 'not JSON', { cause: err });
      }
      const parsed = batchRecordSchema.safeParse(json);
      if (!parsed.success) {
        throw new BatchRecordCorruptError(key, field, formatZodError(parsed.error, '(record)'), { cause: parsed.error });
      }
      states.set(Number(field), parsed.data);
    }
    return states;
  }

  /**
   * Records one batch's state (stamped with the layout version) and renews the hash's TTL, both
   * in one MULTI on the job's hash.
   * @throws the Redis error of either command (EXEC answers per command, so a failed HSET, e.g.
   *   WRONGTYPE, would otherwise pass as recorded), or of the MULTI itself.
   */
  async save(jobKey: string, batch: number, state: BatchState): Promise<void> {
    const key = this.key(jobKey);
    const record = JSON.stringify({ v: BATCH_RECORD_VERSION, ...state });
    const replies = await this.redis.multi().hset(key, String(batch), record).pexpire(key, this.ttlMs).exec();
    const failed = replies?.find(([err]) => err)?.[0];
    if (failed) throw failed;
  }
}
