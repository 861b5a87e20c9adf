import { z } from 'zod';
import { leadOutcomeSchema } from '@jobs/queue-contracts';
import type { LeadOutcome } from './validate-leads';

/** What is known of one batch of a job. */
export interface BatchState {
  /** The actor run started for it, recorded as soon as Apify answered. */
  readonly runId: string | null;
  /** When an attempt was about to start its run (ms since the epoch): a later attempt without a runId looks for it from here. */
  readonly startingSince?: number | null;
  /** Its leads' outcomes, once read: the batch is done and never runs again. */
  readonly outcomes: LeadOutcome[] | null;
}

/** The layout version this worker writes (`v`) and the only one it reads. */
export const BATCH_RECORD_VERSION = 1;

/**
 * One batch record as stored (a hash field's JSON) → its typed form:
 * `{ v: 1, runId: string | null, startingSince?: number | null, outcomes: LeadOutcome[] | null }`.
 * A record without `v` was written before versioning, in the same layout, and is read as
 * version 1 (the next write stamps it). Strict: a field this worker does not know (a newer
 * layout) is refused, as is any other version.
 */
export const batchRecordSchema = z
  .strictObject({
    v: z.literal(BATCH_RECORD_VERSION, { error: `unknown version (this worker reads v${BATCH_RECORD_VERSION})` }).optional(),
    runId: z.string().min(1).max(200).nullable(),
    startingSince: z.number().int().nonnegative().nullable().optional(),
    outcomes: z.array(leadOutcomeSchema).nullable(),
  })
  .transform(({ runId, startingSince, outcomes }): BatchState => ({ runId, startingSince: startingSince ?? null, outcomes }));
