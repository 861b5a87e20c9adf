import type { JobsOptions } from 'bullmq';
import { z } from 'zod';
import { formatZodError } from '@jobs/common';
import { InvalidJobOptionsError } from './errors';
import { CONTRACT_LIMITS } from './contracts/contract-limits';

/** Seconds in a day; BullMQ's `removeOn*.age` is in seconds. */
const DAY_SECONDS = 24 * 60 * 60;

/**
 * Defaults for every job (DESIGN.md): 3 attempts, exponential backoff from 2000 ms
 * (2 s, 4 s, ...), failed jobs kept 7 days, completed jobs trimmed to the last 24 h and at most
 * 1000 per queue; `sizeLimit` `CONTRACT_LIMITS.MAX_JOB_DATA_BYTES` (2 MiB of JSON), which BullMQ
 * enforces on add (the producer refuses larger data first, naming the limit).
 */
export const DEFAULT_JOB_OPTIONS = Object.freeze({
  sizeLimit: CONTRACT_LIMITS.MAX_JOB_DATA_BYTES,
  attempts: 3,
  backoff: Object.freeze({ type: 'exponential', delay: 2000 }),
  removeOnComplete: Object.freeze({ age: DAY_SECONDS, count: 1000 }),
  removeOnFail: Object.freeze({ age: 7 * DAY_SECONDS }),
}) satisfies JobsOptions;

/** BullMQ's failure policies of a child job; at most one may be set, and only with `parent`. */
const FAILURE_POLICIES = ['failParentOnFailure', 'continueParentOnFailure', 'ignoreDependencyOnFailure', 'removeDependencyOnFailure'] as const;

/**
 * Options a producer may pass: `delay` (ms, ≥ 0), `priority` (1 = highest … 2 097 152, BullMQ's
 * range), `attempts` (1-100), `jobId`.
 *
 * `jobId` rules come from BullMQ: a custom id must not be an integer (BullMQ refuses it, as it
 * would collide with its own counter ids; `-5` counts) and must not contain `:` (the Redis key
 * separator). Blank ids and ids with white space at either end are refused too.
 *
 * For a job added as the child of another (the workflow worker's steps): `parent`
 * (`{ id, queue }`, `queue` the parent's qualified queue name `<prefix>:<queue>`, i.e. BullMQ's
 * `job.queueQualifiedName`) and at most one failure policy, BullMQ's meaning:
 * `failParentOnFailure` (the parent fails), `continueParentOnFailure` (the parent is processed
 * at once), `ignoreDependencyOnFailure` (the child counts as done, its failure kept for
 * `getIgnoredChildrenFailures`), `removeDependencyOnFailure` (the child is dropped from the
 * parent's dependencies). A child without one leaves its parent in `waiting-children` for good
 * when it fails, so a policy without `parent` is refused, as is more than one.
 */
export const producerJobOptionsSchema = z
  .object({
    delay: z.number().int().min(0).optional(),
    priority: z.number().int().min(1).max(2_097_152).optional(),
    attempts: z.number().int().min(1).max(100).optional(),
    jobId: z
      .string()
      .min(1)
      .max(256)
      .refine((id) => id.trim() === id && id.length > 0, { message: 'must not be blank or start or end with white space' })
      .refine((id) => String(Number.parseInt(id, 10)) !== id, {
        message: 'must not be an integer: BullMQ keeps integer ids for the ids it generates itself',
      })
      .refine((id) => !id.includes(':'), {
        message: 'must not contain ":": BullMQ uses it as the Redis key separator',
      })
      .optional(),
    parent: z.strictObject({ id: z.string().min(1), queue: z.string().includes(':', { message: 'must be the qualified queue name <prefix>:<queue>' }) }).optional(),
    failParentOnFailure: z.boolean().optional(),
    continueParentOnFailure: z.boolean().optional(),
    ignoreDependencyOnFailure: z.boolean().optional(),
    removeDependencyOnFailure: z.boolean().optional(),
  })
  .strict()
  .superRefine((opts, ctx) => {
    const policies = FAILURE_POLICIES.filter((policy) => opts[policy] === true);
    if (policies.length > 1) ctx.addIssue({ code: 'custom', path: [policies[1]], message: `cannot be used together with ${policies[0]} (BullMQ allows one failure policy)` });
    if (policies.length > 0 && opts.parent === undefined) ctx.addIssue({ code: 'custom', path: [policies[0]], message: 'needs parent: a failure policy applies to a child job' });
  });

/** What a producer accepts as its second argument. */
export type ProducerJobOptions = z.input<typeof producerJobOptionsSchema>;

/**
 * Validates producer options and merges them over `typeDefaults` (the job type's own, from its
 * contract) over {@link DEFAULT_JOB_OPTIONS}. `sizeLimit` is always
 * `CONTRACT_LIMITS.MAX_JOB_DATA_BYTES`, whatever `typeDefaults` say: the producer relies on
 * BullMQ's check of it to refuse oversized data before anything is sent. Returns a new object
 * each call (callers may add to it).
 * @throws InvalidJobOptionsError naming the option and why, e.g. a `jobId` of digits only.
 */
export function resolveJobOptions(opts: ProducerJobOptions | undefined, typeDefaults: JobsOptions = {}): JobsOptions {
  // No options (most adds): nothing to validate, so no schema pass on the producer's hot path.
  if (opts === undefined) return { ...DEFAULT_JOB_OPTIONS, ...typeDefaults, sizeLimit: DEFAULT_JOB_OPTIONS.sizeLimit };
  const parsed = producerJobOptionsSchema.safeParse(opts);
  if (!parsed.success) {
    throw new InvalidJobOptionsError(`Invalid job options: ${formatZodError(parsed.error)}`, {
      cause: parsed.error,
    });
  }
  return { ...DEFAULT_JOB_OPTIONS, ...typeDefaults, ...parsed.data, sizeLimit: DEFAULT_JOB_OPTIONS.sizeLimit };
}
