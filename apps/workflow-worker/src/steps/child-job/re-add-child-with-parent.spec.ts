import { randomUUID } from 'node:crypto';
import { Job, Queue, Worker } from 'bullmq';
import { deletePrefix, testRedisUrl, uniquePrefix } from '@jobs/test-support';

/*
 * What BullMQ 6.7 does when a child job id is added a second time with the same parent, which is
 * what a workflow step re-run after a crash between "child enqueued" and "step journaled" does
 * (addStandardJob -> handleDuplicatedJob -> updateExistingJobsParent):
 * - the child already completed: its result is (re)written into the parent's `processed` hash and
 *   it is not a pending dependency, so the parent is not blocked;
 * - the child still pending: it stays one pending dependency (a set: no double entry);
 * - the child failed for good under `ignoreDependencyOnFailure`: BullMQ puts it BACK into the
 *   parent's pending dependencies although it will never finish. A parent that then waited for
 *   its children would wait forever; this is why runChildJobStep looks the child up before it
 *   adds it (and never re-adds a child that exists).
 */
describe('BullMQ: re-adding an existing child id with the same parent', () => {
  const url = testRedisUrl();
  let prefix: string;
  let parents: Queue;
  let children: Queue;
  let parentWorker: Worker;
  let childWorker: Worker;

  beforeEach(async () => {
    prefix = uniquePrefix('wf-readd');
    const connection = { url };
    parents = new Queue('workflow', { connection, prefix });
    children = new Queue('enrichment', { connection, prefix });
    // Workers without a processor: the test moves jobs by hand, as a processor would.
    parentWorker = new Worker('workflow', null, { connection, prefix });
    childWorker = new Worker('enrichment', null, { connection, prefix });
  });
  afterEach(async () => {
    await Promise.all([parentWorker.close(), childWorker.close(), parents.close(), children.close()]);
    await deletePrefix(url, prefix);
  });

  /** The parent job, active under `token` (as the workflow run is while its step runs). */
  async function activeParent(token: string): Promise<Job> {
    await parents.add('WORKFLOW_EXECUTION', { run: 1 }, { jobId: 'wfrun-1' });
    const job = (await parentWorker.getNextJob(token)) as Job;
    expect(job.id).toBe('wfrun-1');
    return job;
  }

  function addChild(parent: Job): Promise<Job> {
    return children.add('LEAD_ENRICHMENT', { n: 1 }, {
      jobId: 'wf-run_1-enrich-1',
      parent: { id: parent.id as string, queue: parent.queueQualifiedName },
      ignoreDependencyOnFailure: true,
      attempts: 1,
    });
  }

  async function takeChild(token: string): Promise<Job> {
    const child = (await childWorker.getNextJob(token)) as Job;
    expect(child.id).toBe('wf-run_1-enrich-1');
    return child;
  }

  it('a completed child re-added: not a pending dependency again, its result is there, the parent does not wait', async () => {
    const token = randomUUID();
    const parent = await activeParent(token);
    await addChild(parent);
    const childToken = randomUUID();
    const child = await takeChild(childToken);
    await child.moveToCompleted({ ok: 1 }, childToken, false);

    await addChild(parent);
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0, processed: 1 });
    expect(await parent.getChildrenValues()).toEqual({ [`${prefix}:enrichment:wf-run_1-enrich-1`]: { ok: 1 } });
    expect(await parent.moveToWaitingChildren(token)).toBe(false);
    expect(await parent.getState()).toBe('active');
    expect(await children.count()).toBe(0);
  });

  it('a pending child re-added: still exactly one pending dependency; its completion releases the parent', async () => {
    const token = randomUUID();
    const parent = await activeParent(token);
    await addChild(parent);
    await addChild(parent);
    expect(await children.getJobCounts('wait', 'active', 'completed')).toEqual({ wait: 1, active: 0, completed: 0 });
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 1, processed: 0 });

    expect(await parent.moveToWaitingChildren(token)).toBe(true);
    expect(await parent.getState()).toBe('waiting-children');
    const childToken = randomUUID();
    const child = await takeChild(childToken);
    await child.moveToCompleted({ ok: 2 }, childToken, false);
    expect(await parent.getState()).toBe('waiting');
    expect(await parent.getChildrenValues()).toEqual({ [`${prefix}:enrichment:wf-run_1-enrich-1`]: { ok: 2 } });
  });

  it('a child that failed for good, re-added: BullMQ makes it a pending dependency again (so never re-add one)', async () => {
    const token = randomUUID();
    const parent = await activeParent(token);
    await addChild(parent);
    const childToken = randomUUID();
    const child = await takeChild(childToken);
    await child.moveToFailed(new Error('actor failed'), childToken, false);
    expect(await parent.getIgnoredChildrenFailures()).toEqual({ [`${prefix}:enrichment:wf-run_1-enrich-1`]: 'actor failed' });
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 0 });

    await addChild(parent);
    // The failed child is pending again: a parent moved to waiting-children now would never wake.
    expect(await parent.getDependenciesCount()).toMatchObject({ unprocessed: 1 });
    expect(await children.getJobState('wf-run_1-enrich-1')).toBe('failed');
  });
});
