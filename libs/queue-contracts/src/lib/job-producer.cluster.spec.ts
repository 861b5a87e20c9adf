import { FlowProducer, Queue, WaitingChildrenError, Worker, type Job } from 'bullmq';
import { Cluster } from 'ioredis';
import { freePort, startThrowawayRedisCluster, type ThrowawayRedisCluster } from '@jobs/test-support';
import { QueueUnavailableError } from './errors';
import { JobProducer } from './job-producer';
import { redisSettingsFromEnv, type RedisSettings } from './redis-env';
import { bullMqConnection, type BullMqConnection } from './bullmq-connection';
import { queuePrefix, QUEUE_SLOT_GROUPS } from './queue-prefix';
import { ALL_QUEUE_NAMES, type QueueName } from './queue-names';
import type { JobName } from './job-names';

/** Valid data of one job per queue. */
const SAMPLES = {
  EMAIL_SYNC: { userId: 'u', accountId: 'a', emailProvider: 'gmail' },
  VOICE_CALL: { userId: 'u', callId: 'c', phoneNumber: '+14155550123', assistantId: 'a' },
  LEAD_ENRICHMENT: { userId: 'u', leads: [{ id: 'lead_1', email: 'a@example.com' }], batchSize: 5 },
  WORKFLOW_EXECUTION: { userId: 'u', workflowId: 'wf_1', triggerId: 't_1', context: {} },
  SEO_AUDIT: { userId: 'u', websiteUrl: 'https://example.com' },
  AD_ANALYSIS: { userId: 'u', platform: 'google', accountId: 'acc_1', dateRange: { start: new Date('2024-01-01'), end: new Date('2024-01-31') } },
} as const;

let cluster: ThrowawayRedisCluster;
let redis: RedisSettings;
/** A cluster client of the test's own, to look at keys. */
let admin: Cluster;
/** Per test: a base prefix no other test uses, and what the test opened. */
let base: string;
let producer: JobProducer;
const opened: { close(): Promise<void> }[] = [];

/** A raw BullMQ Worker on the cluster, as the kit builds one (own Cluster, hash-tagged prefix). */
function rawWorker(queue: QueueName, processor: (job: Job, token?: string) => Promise<unknown>): Worker {
  const connection = bullMqConnection(redis, 'worker');
  const worker = new Worker(queue, processor, { connection: connection.connection, prefix: queuePrefix({ redis, prefix: base }, queue) });
  worker.on('error', () => undefined);
  opened.push({ close: () => worker.close().then(() => connection.close()) });
  return worker;
}

/** Every key under `base:` on each master, keyed by the master's port. */
async function keysByMaster(): Promise<Map<number, string[]>> {
  const byPort = new Map<number, string[]>();
  for (const node of admin.nodes('master')) {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await node.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 500);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    byPort.set(Number(node.options.port), keys);
  }
  return byPort;
}

describe('JobProducer on a 3-master Redis Cluster', () => {
  // In the describe: its afterAll runs before the leak check's, which would count the servers.
  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
  }, 60_000);

  afterAll(async () => {
    admin?.disconnect();
    await cluster?.stop();
  });

  beforeEach(() => {
    base = `test-cluster-${Math.random().toString(16).slice(2, 10)}`;
    producer = new JobProducer({ redis, prefix: base, telemetry: 'off' });
  });

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((o) => o.close()));
    await producer.close();
    // Nothing outlives a test: the cluster is stopped after the file anyway, but keys are per test.
    for (const node of admin.nodes('master')) {
      let cursor = '0';
      do {
        const [next, batch] = await node.scan(cursor, 'MATCH', `${base}:*`, 'COUNT', 500);
        cursor = next;
        if (batch.length > 0) await Promise.all(batch.map((key) => node.unlink(key)));
      } while (cursor !== '0');
    }
  });

  it('adds and bulk-adds on every queue and reads the stats of each', async () => {
    for (const [name, data] of Object.entries(SAMPLES) as [JobName, never][]) {
      const one = await producer.add(name, data);
      expect(one.id).toBeDefined();
      const bulk = await producer.addBulk(name, [{ data }, { data }]);
      expect(bulk).toHaveLength(2);
    }
    const all = await producer.getAllQueueStats();
    expect(Object.keys(all).sort()).toEqual([...ALL_QUEUE_NAMES].sort());
    for (const queue of ALL_QUEUE_NAMES) {
      // A WORKFLOW_EXECUTION's job id is its run's (defaultJobId): the three adds are one job.
      expect(all[queue]).toMatchObject({ waiting: queue === 'workflow' ? 1 : 3, active: 0, failed: 0, paused: false });
    }
    expect((await producer.getQueueStats('seo')).waiting).toBe(3);
  });

  it("keeps each queue's keys in its group's slot, flow-linked queues together, the others on other masters", async () => {
    for (const [name, data] of Object.entries(SAMPLES) as [JobName, never][]) await producer.add(name, data);
    const byPort = await keysByMaster();
    const masterOfGroup = new Map<string, number>();
    for (const queue of ALL_QUEUE_NAMES) {
      const prefix = queuePrefix({ redis, prefix: base }, queue);
      const slot = Number(await admin.cluster('KEYSLOT', `${prefix}:${queue}:wait`));
      const holders = [...byPort].filter(([, keys]) => keys.some((key) => key.startsWith(`${prefix}:${queue}:`)));
      // Every key of the queue on one master, and all in the same slot.
      expect(holders).toHaveLength(1);
      const [port, keys] = holders[0]!;
      for (const key of keys.filter((k) => k.startsWith(`${prefix}:${queue}:`))) {
        expect(Number(await admin.cluster('KEYSLOT', key))).toBe(slot);
      }
      const group = QUEUE_SLOT_GROUPS[queue];
      if (masterOfGroup.has(group)) expect(masterOfGroup.get(group)).toBe(port);
      masterOfGroup.set(group, port);
    }
    // The flow group (workflow, email, voice, enrichment) on one master, seo and ads each on
    // another: the three groups use all three masters.
    expect(new Set(masterOfGroup.values()).size).toBe(3);
    expect(QUEUE_SLOT_GROUPS.email).toBe(QUEUE_SLOT_GROUPS.workflow);
  });

  it('fails an add with QueueUnavailableError when no seed node answers, and closes', async () => {
    const port = await freePort();
    const down = new JobProducer({ redis: redisSettingsFromEnv({ REDIS_CLUSTER_NODES: `127.0.0.1:${port}` }), prefix: base, producerTimeoutMs: 2000, telemetry: 'off' });
    try {
      await expect(down.add('SEO_AUDIT', SAMPLES.SEO_AUDIT)).rejects.toThrow(QueueUnavailableError);
      await expect(down.add('SEO_AUDIT', SAMPLES.SEO_AUDIT)).rejects.toThrow(`redis-cluster://127.0.0.1:${port}`);
    } finally {
      await down.close();
    }
  });

  it('refuses a queue without the hash tag (CROSSSLOT): the prefix is what makes BullMQ work here', async () => {
    const connection = bullMqConnection(redis, 'producer');
    const plain = new Queue('seo', { connection: connection.connection, prefix: base });
    plain.on('error', () => undefined);
    opened.push({ close: () => plain.close().then(() => connection.close()) });
    await expect(plain.add('SEO_AUDIT', SAMPLES.SEO_AUDIT)).rejects.toThrow(/CROSSSLOT/);
  });

  it('runs a workflow-style parent whose children on email and enrichment complete, then the parent', async () => {
    // As the workflow worker's child-job step: the parent adds each child through the producer
    // with `parent: { id, queue: job.queueQualifiedName }`, waits for children, then reads them.
    const parentDone = new Promise<unknown>((resolve) => {
      const parentWorker = rawWorker('workflow', async (job, token) => {
        if (job.data.step === 'start') {
          const parent = { id: job.id as string, queue: job.queueQualifiedName };
          await producer.add('EMAIL_SYNC', SAMPLES.EMAIL_SYNC, { jobId: `${job.id}-email`, parent, ignoreDependencyOnFailure: true });
          await producer.add('LEAD_ENRICHMENT', { ...SAMPLES.LEAD_ENRICHMENT, leads: [...SAMPLES.LEAD_ENRICHMENT.leads] }, { jobId: `${job.id}-enrich`, parent, ignoreDependencyOnFailure: true });
          await job.updateData({ step: 'wait' });
        }
        if (await job.moveToWaitingChildren(token as string)) throw new WaitingChildrenError();
        return job.getChildrenValues();
      });
      parentWorker.on('completed', (_job, result) => resolve(result));
    });
    rawWorker('email', async (job) => `email ${job.id}`);
    rawWorker('enrichment', async (job) => `enrich ${job.id}`);
    const workflowQueue = producer.queue('workflow');
    await workflowQueue.add('WORKFLOW_EXECUTION', { step: 'start' }, { jobId: 'run-1' });
    const values = (await parentDone) as Record<string, string>;
    expect(Object.values(values).sort()).toEqual(['email run-1-email', 'enrich run-1-enrich']);
    expect(Object.keys(values).sort()).toEqual([`${queuePrefix({ redis, prefix: base }, 'email')}:email:run-1-email`, `${queuePrefix({ redis, prefix: base }, 'enrichment')}:enrichment:run-1-enrich`]);
  });

  it("completes a FlowProducer flow over the flow group's queues, and refuses one across groups", async () => {
    const connection: BullMqConnection = bullMqConnection(redis, 'producer');
    const flows = new FlowProducer({ connection: connection.connection, prefix: queuePrefix({ redis, prefix: base }, 'workflow') });
    flows.on('error', () => undefined);
    opened.push({ close: () => flows.close().then(() => connection.close()) });
    const parentDone = new Promise<number>((resolve) => {
      rawWorker('workflow', async (job) => Object.keys(await job.getChildrenValues()).length).on('completed', (_job, n) => resolve(n as number));
    });
    rawWorker('email', async () => 'sent');
    rawWorker('voice', async () => 'called');
    await flows.add({
      name: 'WORKFLOW_EXECUTION',
      queueName: 'workflow',
      data: {},
      children: [
        { name: 'EMAIL_SYNC', queueName: 'email', data: SAMPLES.EMAIL_SYNC, prefix: queuePrefix({ redis, prefix: base }, 'email') },
        { name: 'VOICE_CALL', queueName: 'voice', data: SAMPLES.VOICE_CALL, prefix: queuePrefix({ redis, prefix: base }, 'voice') },
      ],
    });
    expect(await parentDone).toBe(2);
    // A child on seo (its own group) cannot join a workflow parent: that is why the groups exist.
    await expect(
      flows.add({
        name: 'WORKFLOW_EXECUTION',
        queueName: 'workflow',
        data: {},
        children: [{ name: 'SEO_AUDIT', queueName: 'seo', data: SAMPLES.SEO_AUDIT, prefix: queuePrefix({ redis, prefix: base }, 'seo') }],
      }),
      // ioredis refuses the flow's MULTI before sending it, as Redis would with CROSSSLOT.
    ).rejects.toThrow(/CROSSSLOT|same slots allocation group/);
  });
});
