import type { z } from 'zod';
import { formatZodError } from './format-zod-error';

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
 * Redis did not answer a producer within its bound (`producerTimeoutMs`), or refused the
 * connection. Transient: the caller may try again later; nothing was enqueued, or (on a timeout
 * after the command was sent) the job may exist — pass a `jobId` to make retries idempotent.
 */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}
