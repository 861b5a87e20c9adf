import type { ActorRun, ActorRuns } from '../lib/actor-runs';
import type { Lead, LeadOutcome } from '../lib/validate-leads';
import { outcomesOf } from './outcomes-of';

/**
 * Step 4 of a batch: its leads' outcomes from the finished `run`. A run that SUCCEEDED has its
 * dataset read and mapped back to leads ({@link outcomesOf}); any other end (FAILED, ABORTED,
 * TIMED-OUT) fails every lead of the batch with the run's status and message.
 * @throws what the actor client throws while reading the dataset.
 */
export async function readOutcomes(actor: ActorRuns, leads: readonly Lead[], run: ActorRun): Promise<LeadOutcome[]> {
  if (run.status === 'SUCCEEDED') return outcomesOf(leads, await actor.items(run.defaultDatasetId));
  const reason = `actor run ${run.id} ${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''}`;
  return leads.map((l) => ({ leadId: l.id, status: 'failed', reason }));
}
