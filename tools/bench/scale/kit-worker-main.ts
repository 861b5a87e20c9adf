// Child process of `bench:scale`, kit side: a worker app made with the kit's defineWorkerApp on
// the `seo` queue, configured from the environment like every app (REDIS_URL, BULLMQ_PREFIX,
// WORKER_CONCURRENCY, HEALTH_PORT, LOG_LEVEL ...), with the SEO_AUDIT handler stubbed: it returns
// a result the contract accepts at once. Everything else is what production runs: data and result
// validation, metrics, pino logging to stdout, the eviction gate, the health server, graceful
// shutdown on SIGTERM.
import { z } from 'zod';
import { QUEUE_NAMES } from '@jobs/queue-contracts';
import { defineWorkerApp, loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import { SEO_NOOP_RESULT } from '../seo-noop-job';
import { reportCompletedCountOnExit } from './bench-worker-report';

/** The bench app's defaults: no limiter (measures the platform, not a provider's limit), any free health port. */
const BENCH_WORKER_DEFAULTS = Object.freeze({ concurrency: 50, maxJobsPerSecond: 0, healthPort: 0 });

void defineWorkerApp({
  name: 'bench-scale-worker',
  queue: QUEUE_NAMES.seo,
  loadConfig: (env) =>
    loadAppConfig(
      { name: 'bench-scale-worker', defaults: BENCH_WORKER_DEFAULTS, envSchema: z.object({}), resolve: (_e, worker: WorkerConfig) => ({ worker }) },
      env,
    ),
  build: () => ({ handlers: { SEO_AUDIT: async () => SEO_NOOP_RESULT } }),
})
  .main()
  .then((app) => {
    if (app) reportCompletedCountOnExit(app.queueWorker.worker);
  });
