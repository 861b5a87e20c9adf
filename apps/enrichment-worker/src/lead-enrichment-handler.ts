import { PermanentJobError, RetryLaterError, SHUTDOWN_ABORT_REASON, type JobHandler } from '@jobs/worker-kit';
import type { JobResult } from '@jobs/queue-contracts';
import { ApifyThrottledError, FINISHED_RUN_STATUSES, type ActorRun, type ActorRuns } from './lib/actor-runs';
import type { BatchStateStore } from './lib/batch-state-store';
import { validateLeads, type Lead, type LeadOutcome } from './lib/validate-leads';

/** What the `LEAD_ENRICHMENT` handler works with. */
export interface LeadEnrichmentDeps {
  readonly actor: ActorRuns;
  readonly batches: BatchStateStore;
  /** Apify's `timeout` of one run (s); a run still going after it (plus a minute) is aborted here. */
  readonly runTimeoutSecs: number;
  readonly runMemoryMbytes: number | null;
  /** Wait after repeated 429s (ms). */
  readonly throttleDelayMs: number;
}

/**
 * One long-poll of a run's status (s): short enough that a cancel or a shutdown is noticed
 * within it, long enough that a batch costs a handful of calls.
 */
const RUN_WAIT_SECS = 10;

/** A placeholder for a run whose status is not known yet. */
const run0 = (id: string): ActorRun => ({ id, status: 'RUNNING', statusMessage: null, defaultDatasetId: '' });

/**
 * `poll`, or `fallback` as soon as `signal` aborts: a cancel or a shutdown is acted on at once,
 * not after the long-poll ends (its answer is then ignored).
 */
function untilAborted(poll: Promise<ActorRun>, signal: AbortSignal, fallback: ActorRun): Promise<ActorRun> {
  if (signal.aborted) return Promise.resolve(fallback);
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(fallback);
    signal.addEventListener('abort', onAbort, { once: true });
    poll.then(
      (run) => {
        signal.removeEventListener('abort', onAbort);
        resolve(run);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** The job was cancelled (not shut down): its running actor run is aborted. */
function cancelled(signal: AbortSignal): boolean {
  return signal.aborted && signal.reason !== SHUTDOWN_ABORT_REASON;
}

/**
 * Maps a finished run's items back to its leads: an item belongs to a lead by `leadId`, else by
 * the same email. An item with `error` fails its lead with that reason; a lead with no item is
 * `not_found`. The lead's fields are the item's, without `leadId`.
 */
export function outcomesOf(leads: readonly Lead[], items: readonly Record<string, unknown>[]): LeadOutcome[] {
  return leads.map((lead) => {
    const email = lead.email?.toLowerCase();
    const item =
      items.find((i) => i['leadId'] !== undefined && i['leadId'] !== null && String(i['leadId']) === lead.id) ??
      (email ? items.find((i) => (i['leadId'] === undefined || i['leadId'] === null) && String(i['email'] ?? '').toLowerCase() === email) : undefined);
    if (!item) return { leadId: lead.id, status: 'not_found' };
    const error = item['error'];
    if (error !== undefined && error !== null && error !== false) {
      return { leadId: lead.id, status: 'failed', reason: typeof error === 'string' && error !== '' ? error : `the actor reported an error (${JSON.stringify(error)})` };
    }
    const fields = Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'leadId')) as Record<string, never>;
    return { leadId: lead.id, status: 'enriched', fields };
  });
}

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
 * running, and the job picks it up again.
 */
export function createLeadEnrichmentHandler(deps: LeadEnrichmentDeps): JobHandler<'LEAD_ENRICHMENT'> {
  return async ({ job, data, signal, log, updateProgress }) => {
    const jobKey = `${job.id}:${job.timestamp}`;
    const { valid, rejected } = validateLeads(data.leads);
    const batches: Lead[][] = [];
    for (let i = 0; i < valid.length; i += data.batchSize) batches.push(valid.slice(i, i + data.batchSize));
    const states = await deps.batches.loadAll(jobKey);
    const outcomes = new Map<string, LeadOutcome>(rejected.map((o) => [o.leadId, o]));
    let done = 0;
    let ranNow = 0;

    for (const [index, leads] of batches.entries()) {
      const state = states.get(index) ?? { runId: null, outcomes: null };
      if (state.outcomes) {
        for (const o of state.outcomes) outcomes.set(o.leadId, o);
        done += 1;
        continue;
      }
      if (cancelled(signal)) throw new PermanentJobError(`Job cancelled before batch ${index + 1} of ${batches.length}: no further actor runs started`);
      if (signal.aborted) throw new Error('worker shutting down: the job picks up from this batch again');
      let run: ActorRun;
      try {
        let runId = state.runId;
        const batchKey = `${jobKey}:${index}`;
        if (runId === null && state.startingSince) {
          // An earlier attempt was starting this batch's run and died, or lost Apify's answer:
          // if the run exists, wait on it instead of paying for a second one.
          const found = await deps.actor.findStarted(batchKey, new Date(state.startingSince - 60_000));
          if (found) {
            log.warn({ runId: found.id, batch: index }, 'found the run an earlier attempt started: waiting on it, not starting another');
            runId = found.id;
            await deps.batches.save(jobKey, index, { runId, outcomes: null });
          }
        }
        if (runId === null) {
          await deps.batches.save(jobKey, index, { runId: null, outcomes: null, startingSince: Date.now() });
          const started = await deps.actor.start(
            { leads: leads.map((l) => ({ id: l.id, email: l.email, company: l.company, phone: l.phone })), batchKey },
            { timeoutSecs: deps.runTimeoutSecs, memoryMbytes: deps.runMemoryMbytes },
          );
          runId = started.id;
          await deps.batches.save(jobKey, index, { runId, outcomes: null });
          ranNow += 1;
        }
        const deadline = Date.now() + (deps.runTimeoutSecs + 60) * 1000;
        run = await untilAborted(deps.actor.get(runId, RUN_WAIT_SECS), signal, run0(runId));
        while (!FINISHED_RUN_STATUSES.has(run.status)) {
          if (cancelled(signal) || Date.now() > deadline) {
            await deps.actor.abort(runId).catch((err: unknown) => log.warn({ err, runId }, 'aborting the actor run failed'));
            // Cancelled means stopped for good: no retry that would start the next batches.
            if (cancelled(signal)) throw new PermanentJobError(`Job cancelled: actor run ${runId} aborted`);
            run = { ...run, status: 'TIMED-OUT', statusMessage: `still ${run.status} after ${deps.runTimeoutSecs} s: aborted` };
            break;
          }
          if (signal.aborted) throw new Error('worker shutting down: the actor run goes on and the job picks it up again');
          run = await untilAborted(deps.actor.get(runId, RUN_WAIT_SECS), signal, run);
        }
      } catch (err) {
        if (err instanceof ApifyThrottledError) throw new RetryLaterError(deps.throttleDelayMs, err.message, { cause: err });
        throw err;
      }
      const batchOutcomes: LeadOutcome[] =
        run.status === 'SUCCEEDED'
          ? outcomesOf(leads, await deps.actor.items(run.defaultDatasetId))
          : leads.map((l) => ({ leadId: l.id, status: 'failed', reason: `actor run ${run.id} ${run.status}${run.statusMessage ? `: ${run.statusMessage}` : ''}` }));
      await deps.batches.save(jobKey, index, { runId: run.id, outcomes: batchOutcomes });
      for (const o of batchOutcomes) outcomes.set(o.leadId, o);
      done += 1;
      await updateProgress({ batchesDone: done, batches: batches.length, leadsDone: rejected.length + batches.slice(0, index + 1).reduce((n, b) => n + b.length, 0), leads: data.leads.length });
    }

    // In the job's lead order (a repeated id keeps its first outcome, the repeat its rejection).
    const ordered: LeadOutcome[] = [];
    const used = new Set<LeadOutcome>();
    for (const lead of data.leads) {
      const first = outcomes.get(lead.id);
      const outcome = first && !used.has(first) ? first : rejected.find((r) => r.leadId === lead.id && !used.has(r));
      if (outcome) {
        used.add(outcome);
        ordered.push(outcome);
      }
    }
    const count = (status: LeadOutcome['status']) => ordered.filter((o) => o.status === status).length;
    const result: JobResult<'LEAD_ENRICHMENT'> = {
      outcomes: ordered,
      totals: { enriched: count('enriched'), notFound: count('not_found'), failed: count('failed'), rejected: count('rejected') },
    };
    log.info({ ...result.totals, batches: batches.length, batchesRunNow: ranNow }, 'leads enriched');
    return result;
  };
}
