// The worker app of the fixture process (fixture-worker.ts) for the shutdown, eviction, timeout
// and start-up tests: the `workflow` queue with a state connection and a handler that works for `context.workMs` ms (default 1000), stopping early if its signal is
// aborted unless `context.ignoreAbort` is set, or never settles with `context.neverSettle`.
// Configured from the environment and started like a real app (defineWorkerApp).
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_CONTRACTS } from '@jobs/queue-contracts';
import { defineWorkerApp, loadWorkerConfig } from '../index';

// The workflow result contract is being reshaped (issue 8); return whichever shape it accepts.
const RESULT = [{ status: 'completed', stepsCompleted: 1 }, { runId: 'fixture', status: 'completed', steps: [] }].find(
  (candidate) => JOB_CONTRACTS.WORKFLOW_EXECUTION.result.safeParse(candidate).success,
);

/** The fixture app, defined like every real worker app. */
export const fixtureApp = defineWorkerApp({
  name: 'fixture-worker',
  queue: 'workflow',
  loadConfig: (env) => Object.freeze({ worker: loadWorkerConfig({ concurrency: 2, maxJobsPerSecond: 100, healthPort: 0 }, env) }),
  build: async ({ stateRedis }) => {
    // Like the apps with state: a connection of their own, to be released with the rest.
    await stateRedis();
    return {
      handlers: {
        WORKFLOW_EXECUTION: async ({ data, signal, log: jobLog, updateProgress }) => {
          const options = ((data as Record<string, unknown>)['context'] ?? {}) as { workMs?: number; ignoreAbort?: boolean; neverSettle?: boolean };
          if (options.neverSettle) {
            jobLog.info('never settling');
            return new Promise(() => undefined);
          }
          const workMs = Number(options.workMs ?? 1000);
          await updateProgress({ started: true });
          jobLog.info({ workMs }, 'working');
          if (options.ignoreAbort) await sleep(workMs);
          else await sleep(workMs, undefined, { signal });
          return RESULT as never;
        },
      },
    };
  },
});
