// `npm run bench:workflow [-- <runs> <concurrency>]` (default 1000 runs, concurrency 5)
//
// How much a pure workflow step costs next to a BullMQ job. One private throwaway redis-server;
// in this one process, three rounds, the two sides alternated (which goes first flips each
// round), each side on a fresh prefix:
// - workflow: <runs> WORKFLOW_EXECUTION runs of a 10-step definition of set/branch steps (every
//   step runs), enqueued first, then the workflow worker's handlers on the kit's worker
//   (createQueueWorker, as main.ts wires them; no limiter) at <concurrency>; steps/s from the
//   worker's start to the last completed run. Every step journals 'running' and its outcome
//   (fenced Lua writes) and sets the job's progress.
// - raw: <runs> jobs with the same data and job options on a plain BullMQ Worker whose processor
//   does nothing, at the same concurrency; jobs/s likewise.
// Both sides first run 100 untimed (warm-up). Prints min/median/max of both and the ratio of the medians (steps/s ÷ jobs/s): 1.0 would mean a
// pure step costs exactly one no-op BullMQ job.
import { randomBytes } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { deriveWorkflowRunId, ioRedisOptions, JOB_CONTRACTS, type JobContract, JobProducer, redisSettingsFromEnv, resolveJobOptions, WorkflowClient, workflowRunJobId, type WorkflowDefinitionInput } from '@jobs/queue-contracts';
import { startThrowawayRedis } from '@jobs/test-support';
import { createLogger, createQueueWorker } from '@jobs/worker-kit';
// The brief asks for both sides in one process, so the app's handlers are imported, not spawned:
// tools may depend on apps (type:tools → type:app), but apps have no import alias.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { loadConfig } from '../../apps/workflow-worker/src/config';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { createWorkflowApp } from '../../apps/workflow-worker/src/create-workflow-app';
import { spread, type Spread } from './bench-stats';

const say = (line: string) => process.stdout.write(`${line}\n`);
const STEPS_PER_RUN = 10;
const ROUNDS = 3;
const CEILING_MS = 600_000;

/** Ten pure steps, all of which run: set, set, branch, set, set, branch, set, set, set, end. */
export const TEN_PURE_STEPS: WorkflowDefinitionInput = {
  workflowId: 'bench-pure',
  steps: [
    { id: 's1', kind: 'set', values: { a: '1' } },
    { id: 's2', kind: 'set', values: { b: 'context.a + 1' } },
    { id: 's3', kind: 'branch', condition: 'context.b > 1', then: 's4', else: 's10' },
    { id: 's4', kind: 'set', values: { c: 'context.b * 2' } },
    { id: 's5', kind: 'set', values: { d: '$string(context.c)' } },
    { id: 's6', kind: 'branch', condition: '$length(context.d) = 1', then: 's7', else: 's10' },
    { id: 's7', kind: 'set', values: { e: '[context.a, context.b, context.c]' } },
    { id: 's8', kind: 'set', values: { f: '$sum(context.e)' } },
    { id: 's9', kind: 'set', values: { g: 'context.f > 5' } },
    { id: 's10', kind: 'end', output: '{ "sum": context.f }' },
  ],
};

const dataOf = (i: number) => ({ userId: 'bench-user', workflowId: TEN_PURE_STEPS.workflowId, triggerId: `trigger-${i}`, context: { i } });

/** Resolves when `count` 'completed' events were seen; rejects on a failure or after the ceiling. */
function completions(worker: Worker, count: number, label: string): { done: Promise<bigint> } {
  let seen = 0;
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<bigint>((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${label}: ${seen}/${count} jobs after ${CEILING_MS} ms`)), CEILING_MS);
    worker.on('completed', () => {
      seen += 1;
      if (seen === count) resolve(process.hrtime.bigint());
    });
    worker.on('failed', (job, err) => reject(new Error(`${label}: job ${job?.id} failed: ${err.message}`)));
  }).finally(() => clearTimeout(timer));
  return { done };
}

async function measureWorkflow(redisUrl: string, runs: number, concurrency: number): Promise<number> {
  const prefix = `bench-wf-${randomBytes(3).toString('hex')}`;
  const env = { REDIS_URL: redisUrl, BULLMQ_PREFIX: prefix, HEALTH_PORT: '0', LOG_LEVEL: 'silent', WORKER_CONCURRENCY: String(concurrency), WORKER_MAX_JOBS_PER_SECOND: '0' };
  const config = loadConfig(env);
  const options = { redis: config.worker.redis, prefix };
  const client = new WorkflowClient(options);
  const producer = new JobProducer(options);
  const state = new Redis(ioRedisOptions(config.worker.redis, 'worker'));
  const app = createWorkflowApp(config, { redis: state });
  try {
    await client.saveWorkflowDefinition(TEN_PURE_STEPS);
    for (let i = 0; i < runs; i += 500) {
      await producer.addBulk('WORKFLOW_EXECUTION', Array.from({ length: Math.min(500, runs - i) }, (_, j) => ({ data: dataOf(i + j) })));
    }
    const started = process.hrtime.bigint();
    const qw = createQueueWorker({ queue: 'workflow', handlers: app.handlers, config: config.worker, log: createLogger({ level: 'silent' }) });
    try {
      const finished = await completions(qw.worker, runs, 'workflow').done;
      const first = dataOf(0);
      const sample = await qw.queue.getJob(workflowRunJobId(deriveWorkflowRunId(first.workflowId, first.triggerId)));
      const steps = (sample?.returnvalue as { steps?: unknown[] } | undefined)?.steps?.length;
      if (steps !== STEPS_PER_RUN) throw new Error(`a run executed ${steps} steps, expected ${STEPS_PER_RUN}`);
      return (runs * STEPS_PER_RUN) / (Number(finished - started) / 1e9);
    } finally {
      await qw.close(5000);
    }
  } finally {
    await app.close();
    await Promise.allSettled([client.close(), producer.close()]);
    state.disconnect();
  }
}

async function measureRaw(redisUrl: string, runs: number, concurrency: number): Promise<number> {
  const prefix = `bench-raw-${randomBytes(3).toString('hex')}`;
  const connection = ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redisUrl }), 'producer');
  const queue = new Queue('workflow', { connection, prefix });
  const opts = resolveJobOptions(undefined, (JOB_CONTRACTS.WORKFLOW_EXECUTION as JobContract).jobDefaults);
  try {
    for (let i = 0; i < runs; i += 500) {
      await queue.addBulk(Array.from({ length: Math.min(500, runs - i) }, (_, j) => ({ name: 'WORKFLOW_EXECUTION', data: dataOf(i + j), opts })));
    }
    const started = process.hrtime.bigint();
    const worker = new Worker('workflow', async () => null, { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: redisUrl }), 'worker'), prefix, concurrency });
    try {
      const finished = await completions(worker, runs, 'raw').done;
      return runs / (Number(finished - started) / 1e9);
    } finally {
      await worker.close();
    }
  } finally {
    await queue.close();
  }
}

const fmt = (s: Spread) => `${s.min.toFixed(0)} / ${s.median.toFixed(0)} / ${s.max.toFixed(0)}`;

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 1000);
  const concurrency = Number(process.argv[3] ?? 5);
  const redis = await startThrowawayRedis();
  const workflow: number[] = [];
  const raw: number[] = [];
  try {
    say(`bench:workflow — ${runs} runs × ${STEPS_PER_RUN} pure steps vs ${runs} no-op BullMQ jobs, concurrency ${concurrency}, private redis-server ${redis.url}`);
    // Untimed warm-up of both sides (module loading, JIT, expression compilation), so round 1
    // does not charge it to whichever side goes first.
    await measureWorkflow(redis.url, Math.min(100, runs), concurrency);
    await measureRaw(redis.url, Math.min(100, runs), concurrency);
    for (let round = 1; round <= ROUNDS; round += 1) {
      const order = round % 2 === 1 ? (['workflow', 'raw'] as const) : (['raw', 'workflow'] as const);
      for (const side of order) {
        if (side === 'workflow') {
          const v = await measureWorkflow(redis.url, runs, concurrency);
          workflow.push(v);
          say(`  round ${round} workflow: ${v.toFixed(0)} steps/s (${(v / STEPS_PER_RUN).toFixed(0)} runs/s)`);
        } else {
          const v = await measureRaw(redis.url, runs, concurrency);
          raw.push(v);
          say(`  round ${round} raw BullMQ: ${v.toFixed(0)} jobs/s`);
        }
      }
    }
  } finally {
    await redis.stop();
  }
  const w = spread(workflow);
  const r = spread(raw);
  say('');
  say(`| side | rate (min / median / max, ${ROUNDS} runs) |`);
  say('| --- | --- |');
  say(`| workflow, pure steps | ${fmt(w)} steps/s |`);
  say(`| raw BullMQ, no-op jobs | ${fmt(r)} jobs/s |`);
  say('');
  say(`ratio of medians: ${(w.median / r.median).toFixed(2)} pure steps per no-op job-time (a pure step costs ${(r.median / w.median).toFixed(2)} no-op BullMQ jobs)`);
}

void main().catch((err: unknown) => {
  process.stderr.write(`bench:workflow failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
