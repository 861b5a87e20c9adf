import type { JobHandler } from '@jobs/worker-kit';
import { toJobError } from './lib/to-job-error';
import type { LeadOutcome } from './lib/validate-leads';
import type { LeadEnrichmentDeps } from './steps/lead-enrichment-deps';
import { planBatches } from './steps/plan-batches';
import { runBatch } from './steps/run-batch';
import { toEnrichmentResult } from './steps/to-enrichment-result';

/**
 * `LEAD_ENRICHMENT`: rejects leads without email, company or phone (with the reason; the rest go
 * on), then enriches the others in batches of `batchSize`, one actor run per batch
 * (`{ leads: [{ id, email?, company?, phone? }], batchKey }` as input), reading each run's dataset and
 * mapping items back to leads. A batch whose run fails, times out or is aborted fails its leads
 * with the reason; the other batches are unaffected. Progress after every batch.
 *
 * Per batch "starting" is recorded before the run is started, its id as soon as Apify answers and
 * the outcomes once read (BatchStateStore): a retried or restarted job skips finished batches and
 * waits on runs already started — also one whose start answer was lost, found by the `batchKey`
 * in its input. A cancelled job aborts its running actor run; a worker shutting down leaves it
 * running, and the job picks it up again. Every step's errors become job outcomes in one place,
 * {@link toJobError}.
 */
export function createLeadEnrichmentHandler(deps: LeadEnrichmentDeps): JobHandler<'LEAD_ENRICHMENT'> {
  return async ({ job, data, signal, log, updateProgress }) => {
    try {
      const jobKey = `${job.id}:${job.timestamp}`;
      const { batches, rejected } = planBatches(data.leads, data.batchSize);
      const states = await deps.batches.loadAll(jobKey);
      const outcomes = new Map<string, LeadOutcome>(rejected.map((o) => [o.leadId, o]));
      let leadsDone = rejected.length;
      let ranNow = 0;
      for (const [index, leads] of batches.entries()) {
        const state = states.get(index) ?? { runId: null, outcomes: null };
        const batch = await runBatch(deps, { jobKey, index, of: batches.length, leads, state }, signal, log);
        for (const o of batch.outcomes) outcomes.set(o.leadId, o);
        leadsDone += leads.length;
        if (batch.startedNow) ranNow += 1;
        // A batch done by an earlier attempt reports no progress, as before the split.
        if (!state.outcomes) await updateProgress({ batchesDone: index + 1, batches: batches.length, leadsDone, leads: data.leads.length });
      }
      const result = toEnrichmentResult(data.leads, outcomes, rejected);
      log.info({ ...result.totals, batches: batches.length, batchesRunNow: ranNow }, 'leads enriched');
      return result;
    } catch (err) {
      throw toJobError(err, { throttleDelayMs: deps.throttleDelayMs });
    }
  };
}
