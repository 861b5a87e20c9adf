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
  const error = jobDataSizeError(jobName, data);
  if (error) throw error;
}

/**
 * Which error to give a caller after BullMQ refused an add of `data` (one entry per job): the
 * {@link JobValidationError} naming the size and the limit for the first entry over
 * `CONTRACT_LIMITS.MAX_JOB_DATA_BYTES` (its message prefixed `jobs[<index>]: ` when `indexed`,
 * as for a bulk add), or `refusal` itself when every entry is within it.
 *
 * Why after: the producer's job options carry BullMQ's `sizeLimit`, and BullMQ measures the
 * very string it is about to store and throws before sending anything, so measuring every job
 * up front as well would serialise every job twice. The size is measured again here only when
 * an add failed.
 */
export function jobDataSizeErrorOr(refusal: unknown, jobName: string, data: readonly unknown[], indexed: boolean): unknown {
  for (let index = 0; index < data.length; index += 1) {
    const error = jobDataSizeError(jobName, data[index]);
    if (!error) continue;
    if (indexed) error.message = `jobs[${index}]: ${error.message}`;
    return error;
  }
  return refusal;
}

/** The size error for `data`, or undefined when it is within the limit. */
function jobDataSizeError(jobName: string, data: unknown): JobValidationError | undefined {
  const bytes = jsonByteLength(data);
  const limit = CONTRACT_LIMITS.MAX_JOB_DATA_BYTES;
  if (bytes <= limit) return undefined;
  return new JobValidationError(
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
