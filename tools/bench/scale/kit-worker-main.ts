// Child process of `bench:scale`, kit side: a worker app made with the kit's defineWorkerApp on
// the queue BENCH_QUEUE names (`seo` by default; `ads` or `email` in the spread case), configured
// from the environment like every app (REDIS_URL or REDIS_CLUSTER_NODES, BULLMQ_PREFIX,
// WORKER_CONCURRENCY, HEALTH_PORT, LOG_LEVEL ...), with the queue's job handler stubbed: it
// returns a result the contract accepts at once. Everything else is what production runs: data
// and result validation, metrics, pino logging to stdout, the eviction gate, the health server,
// graceful shutdown on SIGTERM, and in cluster mode the hash-tagged prefix and Cluster connections.
import { z } from 'zod';
import { defineWorkerApp, loadAppConfig, PermanentJobError, type JobHandlers, type WorkerAppDefinition, type WorkerConfig } from '@jobs/worker-kit';
import { reportCompletedCountOnExit } from './bench-worker-report';
import { benchQueueFromEnv, SPREAD_JOBS, type SpreadQueue } from './spread-jobs';

/** The bench app's defaults: no limiter (measures the platform, not a provider's limit), any free health port. */
const BENCH_WORKER_DEFAULTS = Object.freeze({ concurrency: 50, maxJobsPerSecond: 0, healthPort: 0 });

type BenchConfig = { readonly worker: WorkerConfig };

/** The bench app on `queue` with `handlers`; the same name and configuration on every queue. */
function benchApp<Q extends SpreadQueue>(queue: Q, handlers: JobHandlers<Q>): WorkerAppDefinition<BenchConfig> {
  return defineWorkerApp({
    name: 'bench-scale-worker',
    queue,
    loadConfig: (env) =>
      loadAppConfig(
        { name: 'bench-scale-worker', defaults: BENCH_WORKER_DEFAULTS, envSchema: z.object({}), resolve: (_e, worker: WorkerConfig) => ({ worker }) },
        env,
      ),
    build: () => ({ handlers }),
  });
}

const queue = benchQueueFromEnv();
const app =
  queue === 'ads'
    ? benchApp('ads', { AD_ANALYSIS: async () => SPREAD_JOBS.ads.result })
    : queue === 'email'
      ? benchApp('email', {
          EMAIL_SYNC: async () => SPREAD_JOBS.email.result,
          // The bench enqueues EMAIL_SYNC only; the kit wants a handler for every job of the queue.
          EMAIL_DRAFT: async () => {
            throw new PermanentJobError('EMAIL_DRAFT is not part of bench:scale');
          },
        })
      : benchApp('seo', { SEO_AUDIT: async () => SPREAD_JOBS.seo.result });

void app.main().then((started) => {
  if (started) reportCompletedCountOnExit(started.queueWorker.worker);
});
