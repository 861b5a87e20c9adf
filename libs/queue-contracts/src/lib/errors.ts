import type { z } from 'zod';
import { formatZodError } from '@jobs/common';

/**
 * Job data that does not match its contract. Unrecoverable: retrying the same data cannot help.
 * `message` names each offending field (`field.path: reason`); `issues` holds zod's detail.
 */
export class JobValidationError extends Error {
  override readonly name = 'JobValidationError';
  /** zod's issues, each with its `path`. */
  readonly issues: z.core.$ZodIssue[];
  constructor(
    readonly jobName: string,
    error: z.ZodError,
  ) {
    super(`Invalid ${jobName} job data: ${formatZodError(error)}`, { cause: error });
    this.issues = error.issues;
  }
}

/** Producer options that BullMQ would refuse or misread, e.g. a numeric `jobId`. */
export class InvalidJobOptionsError extends Error {
  override readonly name = 'InvalidJobOptionsError';
}

/**
 * Redis cannot be reached or cannot serve: the connection was refused (reported at once, not
 * after the timeout), dropped, or not writeable, Redis answered `LOADING`/`OOM`/`NOAUTH` …, or it
 * did not answer within the producer's bound (`producerTimeoutMs`). `cause` holds the original
 * error (absent on a timeout). Transient: the caller may try again later (an HTTP API would
 * answer 503); nothing was enqueued, or (when the connection broke after the command was sent)
 * the job may exist — pass a `jobId` to make retries idempotent.
 */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}
