import type { Logger } from '@jobs/worker-kit';
import type { BatchState } from '../lib/batch-record-schema';
import type { Lead } from '../lib/validate-leads';
import type { LeadEnrichmentDeps } from './lead-enrichment-deps';

/** Where the batch's run came from. */
export interface BatchRun {
  readonly runId: string;
  /** True when this call started the run (false: recorded or found from an earlier attempt). */
  readonly startedNow: boolean;
}

/** How far before an attempt's "starting" record a lost run may have started (clock skew). */
const FIND_SKEW_MS = 60_000;

/**
 * Step 2 of a batch: the actor run of batch `index`, paid for once. A run already recorded is
 * used. Else, when an earlier attempt recorded "starting" and died or lost Apify's answer, the
 * run whose input carries `batchKey` is looked up and recorded. Else "starting" is recorded, the
 * run started (`{ leads: [{ id, email?, company?, phone? }], batchKey }` as input), and its id
 * recorded as soon as Apify answers.
 * @throws what the actor client and the batch store throw (ApifyThrottledError, Redis errors).
 */
export async function startOrFindRun(
  deps: LeadEnrichmentDeps,
  batch: { jobKey: string; index: number; leads: readonly Lead[]; state: BatchState },
  log: Logger,
): Promise<BatchRun> {
  const { jobKey, index, leads, state } = batch;
  if (state.runId !== null) return { runId: state.runId, startedNow: false };
  const batchKey = `${jobKey}:${index}`;
  if (state.startingSince) {
    // An earlier attempt was starting this batch's run and died, or lost Apify's answer: if the
    // run exists, wait on it instead of paying for a second one.
    const found = await deps.actor.findStarted(batchKey, new Date(state.startingSince - FIND_SKEW_MS));
    if (found) {
      log.warn({ runId: found.id, batch: index }, 'found the run an earlier attempt started: waiting on it, not starting another');
      await deps.batches.save(jobKey, index, { runId: found.id, outcomes: null });
      return { runId: found.id, startedNow: false };
    }
  }
  await deps.batches.save(jobKey, index, { runId: null, outcomes: null, startingSince: Date.now() });
  const started = await deps.actor.start(
    { leads: leads.map((l) => ({ id: l.id, email: l.email, company: l.company, phone: l.phone })), batchKey },
    { timeoutSecs: deps.runTimeoutSecs, memoryMbytes: deps.runMemoryMbytes },
  );
  await deps.batches.save(jobKey, index, { runId: started.id, outcomes: null });
  return { runId: started.id, startedNow: true };
}
