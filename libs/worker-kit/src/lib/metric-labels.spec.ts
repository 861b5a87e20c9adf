import { jobNamesForQueue } from '@jobs/queue-contracts';
import { waitFor } from '@jobs/test-support';
import { startWorkerTestBed, workflowData, type WorkerTestBed } from '../test-support/worker-test-bed';
import { UNKNOWN_JOB_NAME_LABEL } from './create-queue-worker';

/** The distinct `job_name` label values in a Prometheus text exposition. */
function jobNameLabels(text: string): Set<string> {
  return new Set([...text.matchAll(/job_name="([^"]*)"/g)].map((m) => m[1]));
}

describe('metric labels', () => {
  let bed: WorkerTestBed;
  beforeEach(async () => {
    bed = await startWorkerTestBed('labels');
  });
  afterEach(() => bed.close());

  it('counts jobs with made-up names under one "unknown" label: 50 names add no series', async () => {
    const worker = bed.start({ WORKFLOW_EXECUTION: () => new Promise(() => undefined) });
    const failedCount = async () => {
      const text = await worker.metrics.registry.getSingleMetricAsString('bullmq_jobs_failed_total');
      return Number(/bullmq_jobs_failed_total\{[^}]*job_name="unknown"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
    };
    await bed.rawQueue.addBulk(
      Array.from({ length: 50 }, (_, i) => ({ name: `MADE_UP_${i}`, data: workflowData('w'), opts: { attempts: 1 } })),
    );
    await waitFor('50 failures counted', async () => (await failedCount()) === 50, { timeoutMs: 20_000 });
    const text = await worker.metrics.registry.metrics();
    // The contract's own names are exported at 0 from the start; made-up names add only `unknown`.
    expect([...jobNameLabels(text)].sort()).toEqual([...jobNamesForQueue('workflow'), UNKNOWN_JOB_NAME_LABEL].sort());
    expect(text).not.toContain('MADE_UP_');
  });
});
