import type { Queue } from 'bullmq';

// Counts in the job's own hash, so the count lives and dies with the job (no key to clean up),
// and only while the hash exists: a job removed meanwhile must not come back as a stub hash.
const INCREMENT_IF_EXISTS = `if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HINCRBY', KEYS[1], ARGV[1], 1) end return 0`;

/** Fields of a job's hash the worker kit counts deferrals in (BullMQ ignores unknown fields). */
export const DEFERRAL_COUNT_FIELDS = Object.freeze({
  /** `RetryLaterError` deferrals of this job. */
  retryLater: 'wk:retryLaterDeferrals',
  /** `WorkerRateLimitError` hits of this job. */
  rateLimit: 'wk:rateLimitDeferrals',
});

/**
 * Adds one to a deferral counter of `jobId` kept in the job's hash (`<prefix>:<queue>:<id>`,
 * field from {@link DEFERRAL_COUNT_FIELDS}) and returns the new count; 0 when the job no longer
 * exists. Counted per job over its whole life, retries included; a job added again under the
 * same id after removal starts from zero.
 * @throws the Redis client's error when Redis cannot be reached (the caller's attempt then fails
 *   as a transient error).
 */
export async function countJobDeferral(queue: Queue, jobId: string, field: string): Promise<number> {
  // BullMQ's client interface runs Lua only as named commands (EVALSHA, loaded once per client).
  const client = await queue.getBackend().client;
  if (!defined.has(client)) {
    client.defineCommand(COMMAND, { numberOfKeys: 1, lua: INCREMENT_IF_EXISTS });
    defined.add(client);
  }
  return Number(await client.runCommand(COMMAND, [queue.toKey(jobId), field]));
}

const COMMAND = 'workerKitIncrementIfExists';
const defined = new WeakSet<object>();
