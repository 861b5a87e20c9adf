// A real worker process for the shutdown, eviction and timeout tests: the `workflow` queue with a
// handler that works for `context.workMs` ms (default 1000), stopping early if its signal is
// aborted unless `context.ignoreAbort` is set, or never settles with `context.neverSettle`.
// Configured from the environment like a real app.
import { setTimeout as sleep } from 'node:timers/promises';
import { JOB_CONTRACTS } from '@jobs/queue-contracts';
import { createLogger, loadWorkerConfig, runWorkerApp } from '../index';

// The workflow result contract is being reshaped (issue 8); return whichever shape it accepts.
const RESULT = [{ status: 'completed', stepsCompleted: 1 }, { runId: 'fixture', status: 'completed', steps: [] }].find(
  (candidate) => JOB_CONTRACTS.WORKFLOW_EXECUTION.result.safeParse(candidate).success,
);

async function main(): Promise<void> {
  const config = loadWorkerConfig({ concurrency: 2, maxJobsPerSecond: 100, healthPort: 0 });
  const log = createLogger({ level: config.logLevel, name: 'fixture-worker' });
  const app = await runWorkerApp({
    queue: 'workflow',
    config,
    log,
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
  });
  // Tell the parent test where the health server listens.
  process.stdout.write(`${JSON.stringify({ fixtureReady: true, healthPort: app.health.port })}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
