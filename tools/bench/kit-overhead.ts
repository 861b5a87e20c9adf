import { Job } from 'bullmq';
import pino from 'pino';
import { JOB_CONTRACTS } from '@jobs/queue-contracts';
import { createLogger, createQueueWorker, loadWorkerConfig } from '@jobs/worker-kit';
import { SEO_JOB_OPTIONS, SEO_NOOP_DATA, SEO_NOOP_RESULT } from './seo-noop-job';

/** CPU time per job (µs) of the kit's own per-job work, and the part of it that is contract validation. */
export interface KitOverhead {
  /** The kit's processor around a no-op handler: µs of CPU per job. */
  readonly processorUs: number;
  /** The two zod parses alone (SEO_AUDIT data and result): µs of CPU per job. */
  readonly validationUs: number;
}

const IN_FLIGHT = 50;

/** CPU µs per call of `run` over `rounds` rounds of {@link IN_FLIGHT} concurrent calls. */
async function cpuPerCall(run: (i: number) => unknown, rounds: number): Promise<number> {
  const start = process.cpuUsage();
  for (let r = 0; r < rounds; r += 1) {
    await Promise.all(Array.from({ length: IN_FLIGHT }, (_, i) => run(i)));
  }
  const used = process.cpuUsage(start);
  return (used.user + used.system) / (rounds * IN_FLIGHT);
}

/**
 * P1's breakdown without Redis: the processor `createQueueWorker` gives BullMQ, called directly
 * on prepared SEO_AUDIT jobs ({@link IN_FLIGHT} at a time, as at concurrency 50), against the
 * contract's two `safeParse` calls alone. Redis round trips, BullMQ's own work and the socket
 * are left out, so this is what the kit adds per job, in CPU µs, and how much of that the
 * contract costs. `rounds` rounds per measure after as many warm-up rounds.
 *
 * Reaches BullMQ's `processFn` (not public API): the bench wants the processor exactly as the
 * worker runs it, without a Redis in the loop.
 */
export async function measureKitOverhead(rounds: number): Promise<KitOverhead> {
  const config = loadWorkerConfig(
    { concurrency: IN_FLIGHT, maxJobsPerSecond: 0, healthPort: 0 },
    // Never connects: autorun is off and the processor is called directly.
    { REDIS_URL: 'redis://127.0.0.1:1', BULLMQ_PREFIX: 'bench-overhead', WORKER_MAX_JOBS_PER_SECOND: '0' },
  );
  const log = createLogger({ level: 'info', name: 'bench', destination: pino.destination({ dest: '/dev/null', sync: true }) });
  const qw = createQueueWorker({ queue: 'seo', config, log, autorun: false, handlers: { SEO_AUDIT: async () => SEO_NOOP_RESULT } });
  try {
    const processor = (qw.worker as unknown as { processFn: (job: Job, token: string) => Promise<unknown> }).processFn;
    const jobs = Array.from(
      { length: IN_FLIGHT },
      (_, i) => new Job(qw.queue, 'SEO_AUDIT', JSON.parse(JSON.stringify(SEO_NOOP_DATA)), SEO_JOB_OPTIONS, `bench-${i}`),
    );
    const contract = JOB_CONTRACTS.SEO_AUDIT;
    const validate = async (i: number) => {
      if (!contract.data.safeParse(jobs[i].data).success) throw new Error('bench data invalid');
      if (!contract.result.safeParse(SEO_NOOP_RESULT).success) throw new Error('bench result invalid');
    };
    const viaKit = (i: number) => processor(jobs[i], 'bench-token');
    await cpuPerCall(viaKit, rounds);
    await cpuPerCall(validate, rounds);
    const processorUs = await cpuPerCall(viaKit, rounds);
    const validationUs = await cpuPerCall(validate, rounds);
    return { processorUs, validationUs };
  } finally {
    await qw.close(0);
  }
}
