import type { Logger } from '@jobs/worker-kit';
import type { BatchState } from '../lib/batch-record-schema';
import type { Lead, LeadOutcome } from '../lib/validate-leads';
import type { LeadEnrichmentDeps } from './lead-enrichment-deps';
import { readOutcomes } from './read-outcomes';
import { startOrFindRun } from './start-or-find-run';
import { throwIfStopped } from './throw-if-stopped';
import { waitForRun } from './wait-for-run';

/** One batch's outcomes, and whether its run was started by this attempt. */
export interface BatchResult {
  readonly outcomes: readonly LeadOutcome[];
  readonly startedNow: boolean;
}

/**
 * One batch, from its record: a batch whose outcomes are recorded is not run again; otherwise
 * its run is started or found ({@link startOrFindRun}), waited on ({@link waitForRun}), its
 * outcomes read ({@link readOutcomes}) and recorded, so no later attempt runs it again.
 * @throws JobCancelledError or WorkerShuttingDownError when the job stops before or during the
 *   batch; what the steps throw.
 */
export async function runBatch(
  deps: LeadEnrichmentDeps,
  batch: { jobKey: string; index: number; of: number; leads: readonly Lead[]; state: BatchState },
  signal: AbortSignal,
  log: Logger,
): Promise<BatchResult> {
  if (batch.state.outcomes) return { outcomes: batch.state.outcomes, startedNow: false };
  throwIfStopped(signal, { cancelled: `Job cancelled before batch ${batch.index + 1} of ${batch.of}: no further actor runs started` });
  const { runId, startedNow } = await startOrFindRun(deps, batch, log);
  const run = await waitForRun(deps, runId, signal, log);
  const outcomes = await readOutcomes(deps.actor, batch.leads, run);
  await deps.batches.save(batch.jobKey, batch.index, { runId: run.id, outcomes });
  return { outcomes, startedNow };
}
