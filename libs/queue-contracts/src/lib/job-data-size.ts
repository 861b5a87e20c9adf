import { z } from 'zod';
import { CONTRACT_LIMITS } from './contracts/contract-limits';
import { jsonByteLength } from './contracts/json-byte-length';
import { JobValidationError } from './errors';

/**
 * Refuses job data whose JSON is larger than `CONTRACT_LIMITS.MAX_JOB_DATA_BYTES` (2 MiB), the
 * same measure BullMQ's `sizeLimit` applies, so the caller gets a validation error naming the
 * limit before anything reaches Redis. Call it on data the contract has accepted (bounded in
 * depth, so serialising it cannot overflow the stack).
 * @throws JobValidationError whose message gives the size and the limit.
 */
export function assertJobDataSize(jobName: string, data: unknown): void {
  const bytes = jsonByteLength(data);
  const limit = CONTRACT_LIMITS.MAX_JOB_DATA_BYTES;
  if (bytes <= limit) return;
  throw new JobValidationError(
    jobName,
    new z.ZodError([
      {
        code: 'custom',
        path: [],
        input: undefined,
        message: `the job data is ${bytes} bytes as JSON; at most ${limit} (CONTRACT_LIMITS.MAX_JOB_DATA_BYTES)`,
      },
    ]),
  );
}
