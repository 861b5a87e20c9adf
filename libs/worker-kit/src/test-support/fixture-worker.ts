// A real worker process for the shutdown tests: the `workflow` queue with a handler that works
// for `triggerData.workMs` ms (default 1000), stopping early if its signal is aborted unless
// `triggerData.ignoreAbort` is set. Configured from the environment like a real app.
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger, loadWorkerConfig, runWorkerApp } from '../index';

async function main(): Promise<void> {
  const config = loadWorkerConfig({ concurrency: 2, maxJobsPerSecond: 100, healthPort: 0 });
  const log = createLogger({ level: config.logLevel, name: 'fixture-worker' });
  const app = await runWorkerApp({
    queue: 'workflow',
    config,
    log,
    handlers: {
      WORKFLOW_EXECUTION: async ({ data, signal, log: jobLog, updateProgress }) => {
        const workMs = Number(data.triggerData?.['workMs'] ?? 1000);
        await updateProgress({ started: true });
        jobLog.info({ workMs }, 'working');
        if (data.triggerData?.['ignoreAbort']) await sleep(workMs);
        else await sleep(workMs, undefined, { signal });
        return { status: 'completed', stepsCompleted: 1 };
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
