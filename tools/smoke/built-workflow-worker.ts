// The built workflow worker runs alone (see built-app.ts): a definition of pure steps (set,
// branch, end) with a 1 s wait between them runs to its end through Redis — the wait suspends the
// run's job (delayed) and the worker takes it back when due — and it exits 0 on SIGTERM.
import { QueueEvents } from 'bullmq';
import { ioRedisOptions, JobProducer, redisSettingsFromEnv, WorkflowClient, workflowExecutionResultSchema } from '@jobs/queue-contracts';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';
import { check, installBuiltApp } from './built-app';
import { waitForJobResult } from '../demo/wait-for-job-result';

const DEFINITION = {
  workflowId: 'smoke-score',
  steps: [
    { id: 'score', kind: 'set', values: { 'lead.score': 'context.visits * 10' } },
    { id: 'hot', kind: 'branch', condition: 'context.lead.score >= 50', then: 'pause', else: 'cold' },
    { id: 'pause', kind: 'wait', durationMs: 1000 },
    { id: 'done', kind: 'end', output: '{ "score": context.lead.score, "path": "hot" }' },
    { id: 'cold', kind: 'end', output: '{ "score": context.lead.score, "path": "cold" }' },
  ],
};

/** Runs the workflow worker's smoke test. @throws Error saying what failed. */
export async function smokeBuiltWorkflowWorker(): Promise<void> {
  const app = installBuiltApp('workflow-worker');
  const url = testRedisUrl();
  const prefix = uniquePrefix('built-workflow');
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const producer = new JobProducer({ redis, prefix });
  const client = new WorkflowClient({ redis, prefix });
  const events = new QueueEvents('workflow', { connection: ioRedisOptions(redis, 'worker'), prefix });
  try {
    const worker = await app.start({ REDIS_URL: url, BULLMQ_PREFIX: prefix, HEALTH_PORT: '0' });
    await events.waitUntilReady();
    const { version } = await client.saveWorkflowDefinition(DEFINITION);
    const job = await producer.add('WORKFLOW_EXECUTION', { userId: 'smoke', workflowId: DEFINITION.workflowId, triggerId: 'smoke-trigger-1', context: { visits: 7 } });
    const result = workflowExecutionResultSchema.parse(await waitForJobResult(producer, job, events, 60_000));
    const expected = JSON.stringify({ score: 70, path: 'hot' });
    check(result.status === 'completed' && JSON.stringify(result.output) === expected, `expected completed with ${expected}, got ${JSON.stringify(result)}`);
    const record = await client.getWorkflowRun(result.runId);
    const path = record?.steps.map((s) => `${s.stepId}:${s.status}`).join(' ');
    check(path === 'score:completed hot:completed pause:completed done:completed', `expected the four steps completed in order, got ${path}`);
    // The wait's output is the time it waited for; it cannot have ended before it.
    const pause = record?.steps[2];
    const until = Date.parse(String((pause?.output as { until?: string } | undefined)?.until));
    check(pause?.endedAt !== undefined && pause.endedAt >= until && until > pause.startedAt, `expected the wait to end after its 1 s, got ${JSON.stringify(pause)}`);
    check(record?.definitionVersion === version, `expected version ${version} pinned, got ${record?.definitionVersion}`);
    worker.child.kill('SIGTERM');
    const code = await worker.exited;
    check(code === 0, `the built workflow-worker exited ${code} on SIGTERM, not 0:\n${worker.stderr()}`);
    process.stdout.write(`built workflow-worker ran ${record?.executedSteps} steps (set, branch, a 1 s wait, end) to ${result.status} and exited 0\n`);
  } finally {
    await Promise.all([producer.close(), client.close(), events.close()]);
    await deletePrefix(url, prefix);
    app.remove();
  }
}
