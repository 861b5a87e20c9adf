import type { Logger } from '@jobs/worker-kit';
import { FINISHED_RUN_STATUSES, type ActorRun } from '../lib/actor-runs';
import { JobCancelledError } from '../lib/errors';
import type { LeadEnrichmentDeps } from './lead-enrichment-deps';
import { isCancelled, throwIfStopped } from './throw-if-stopped';

/**
 * One long-poll of a run's status (s): short enough that a cancel or a shutdown is noticed
 * within it, long enough that a batch costs a handful of calls.
 */
const RUN_WAIT_SECS = 10;

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

/**
 * Step 3 of a batch: long-polls run `runId` until it finishes. A run still going `runTimeoutSecs`
 * plus a minute after the wait began is aborted and comes back as `TIMED-OUT`.
 * @throws JobCancelledError when the job is cancelled (the run is aborted first: cancelled means
 *   stopped for good); WorkerShuttingDownError on shutdown (the run goes on, and the job picks it
 *   up again by its recorded id); what the actor client throws.
 */
export async function waitForRun(deps: LeadEnrichmentDeps, runId: string, signal: AbortSignal, log: Logger): Promise<ActorRun> {
  const deadline = Date.now() + (deps.runTimeoutSecs + 60) * 1000;
  const unknown: ActorRun = { id: runId, status: 'RUNNING', statusMessage: null, defaultDatasetId: '' };
  let run = await untilAborted(deps.actor.get(runId, RUN_WAIT_SECS), signal, unknown);
  while (!FINISHED_RUN_STATUSES.has(run.status)) {
    if (isCancelled(signal) || Date.now() > deadline) {
      await deps.actor.abort(runId).catch((err: unknown) => log.warn({ err, runId }, 'aborting the actor run failed'));
      if (isCancelled(signal)) throw new JobCancelledError(`Job cancelled: actor run ${runId} aborted`);
      return { ...run, status: 'TIMED-OUT', statusMessage: `still ${run.status} after ${deps.runTimeoutSecs} s: aborted` };
    }
    throwIfStopped(signal, { cancelled: `Job cancelled: actor run ${runId} aborted`, shuttingDown: 'worker shutting down: the actor run goes on and the job picks it up again' });
    run = await untilAborted(deps.actor.get(runId, RUN_WAIT_SECS), signal, run);
  }
  return run;
}
