import { Worker, type Job, type Queue } from 'bullmq';
import { Cluster } from 'ioredis';
import { ALL_QUEUE_NAMES, bullMqConnection, JobProducer, queuePrefix, redisSettingsFromEnv, type QueueName, type QueueStats, type RedisSettings } from '@jobs/queue-contracts';
import { markClusterClients, startThrowawayRedisCluster, waitFor, waitForNoClientsSince, type ThrowawayRedisCluster } from '@jobs/test-support';
import { logIn, startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// The dashboard over real HTTP against a throwaway 3-master Redis Cluster: the queues producers
// and workers fill under hash-tagged prefixes are the ones it lists, counts, changes and exports.

/** Bull Board's queue list entry, the fields read here. */
interface BoardQueue {
  name: string;
  isPaused: boolean;
  readOnlyMode: boolean;
  counts: Record<string, number>;
}

/** One sample of Prometheus exposition text. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparsable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, k, v] of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[k] = v;
    samples.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return samples;
}

/** The one sample of `name` with `labels`; undefined when none; throws when several. */
function valueOf(samples: readonly Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Bull Board's counts in the contracts' `QueueStats` shape (prioritized and waiting-children are waiting). */
function statsOf(q: BoardQueue): QueueStats {
  const c = (state: string) => q.counts[state] ?? 0;
  return { waiting: c('waiting') + c('prioritized') + c('waiting-children'), active: c('active'), completed: c('completed'), failed: c('failed'), delayed: c('delayed'), paused: q.isPaused };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('dashboard on a 3-master Redis Cluster', () => {
  const prefix = 'dash-cluster';
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  let admin: Cluster;
  let producer: JobProducer;
  let dashboard: TestDashboard | undefined;
  /** Each master's highest client id before the producer, the workers and the dashboard connected (see markClusterClients). */
  let clientsMark: ReadonlyMap<number, number>;
  const failed: Partial<Record<QueueName, string[]>> = {};
  const release: (() => void)[] = [];
  const cleanups: (() => Promise<unknown>)[] = [];

  /** The `CLIENT LIST` lines of the connections opened after `clientsMark`, on every master. */
  const clientsSinceMark = async () => {
    const lines: string[] = [];
    for (const node of admin.nodes('master')) {
      const since = clientsMark.get(Number(node.options.port)) ?? 0;
      for (const line of String(await node.client('LIST')).trim().split('\n')) {
        if (Number(/(?:^|\s)id=(\d+)/.exec(line)?.[1]) > since) lines.push(line);
      }
    }
    return lines;
  };

  /** A real BullMQ worker on the cluster, as the kit opens one: its own Cluster and the queue's hash-tagged prefix. */
  const startWorker = (queue: QueueName, processor: (job: Job) => Promise<unknown>) => {
    const connection = bullMqConnection(redis, 'worker');
    const worker = new Worker(queue, processor, { connection: connection.connection, prefix: queuePrefix({ redis, prefix }, queue), concurrency: 1 });
    const close = async () => {
      await worker.close();
      await connection.close();
    };
    return { worker, close };
  };

  /** Adds `count` jobs to `queue` and fails each once (attempts 1) through a real worker; their ids. */
  const failJobs = async (queue: QueueName, count: number): Promise<string[]> => {
    const jobs = await producer.queue(queue).addBulk(Array.from({ length: count }, (_, i) => ({ name: 'bad', data: { i }, opts: { attempts: 1 } })));
    const { close } = startWorker(queue, async () => {
      throw new Error('boom');
    });
    try {
      await waitFor(`${count} failed on ${queue}`, async () => (await producer.queue(queue).getFailedCount()) === count, { timeoutMs: 30_000 });
    } finally {
      await close();
    }
    return jobs.map((job) => job.id!);
  };

  const boardQueues = async (headers: Record<string, string>): Promise<BoardQueue[]> => {
    const res = await fetch(`${dashboard!.url}/api/queues`, { headers });
    expect(res.status).toBe(200);
    return ((await res.json()) as { queues: BoardQueue[] }).queues;
  };

  const scrape = async () => parseMetrics(await (await fetch(`http://127.0.0.1:${dashboard!.health.port}/metrics`)).text());

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
    // Before the producer: every connection but the admin's is newer than the mark.
    clientsMark = await markClusterClients(admin);
    producer = new JobProducer({ redis, prefix, telemetry: 'off' });

    // Different counts per queue and state, on every queue group (so on every master).
    failed.seo = await failJobs('seo', 3);
    failed.email = await failJobs('email', 2);
    // ads: one job held active by a worker that takes nothing else meanwhile (concurrency 1).
    await producer.queue('ads').add('hold', {});
    const holder = startWorker('ads', () => new Promise<void>((resolve) => release.push(resolve)));
    cleanups.push(holder.close);
    await waitFor('ads: hold active', async () => (await producer.queue('ads').getActiveCount()) === 1, { timeoutMs: 30_000 });
    for (const [i, queue] of ALL_QUEUE_NAMES.entries()) {
      const q: Queue = producer.queue(queue);
      await q.addBulk(Array.from({ length: i + 1 }, (_, k) => ({ name: 'w', data: { k } })));
      await q.addBulk(Array.from({ length: (i % 3) + 1 }, (_, k) => ({ name: 'd', data: { k }, opts: { delay: 3_600_000 } })));
    }
    await producer.queue('workflow').add('p', {}, { priority: 3 });
    await producer.queue('voice').pause();

    dashboard = await startTestDashboard({ prefix, redisEnv: { REDIS_CLUSTER_NODES: cluster.nodes } });
  }, 120_000);

  afterAll(async () => {
    release.forEach((r) => r());
    await dashboard?.stop();
    for (const clean of cleanups.reverse()) await clean();
    await producer?.close();
    admin?.disconnect();
    await cluster?.stop();
  }, 60_000);

  it('is ready (every master answers PING) and its queue list API shows all six queues with the counts getAllQueueStats reads', async () => {
    await waitFor('/readyz 200', async () => (await fetch(`http://127.0.0.1:${dashboard!.health.port}/readyz`)).status === 200, { timeoutMs: 20_000 });
    const login = await logIn(dashboard!, TEST_CREDENTIALS.admin.user, TEST_CREDENTIALS.admin.password);
    expect(login.status).toBe(303);
    const queues = await boardQueues({ cookie: login.cookie! });
    expect(queues.map((q) => q.name).sort()).toEqual([...ALL_QUEUE_NAMES].sort());
    const stats = await producer.getAllQueueStats();
    const shown = Object.fromEntries(queues.map((q) => [q.name, statsOf(q)]));
    expect(shown).toEqual(stats);
    // Not a match of two empty readings: what was added is there, on every group.
    expect(stats.seo).toMatchObject({ failed: 3, waiting: 5, delayed: 2 });
    expect(stats.email).toMatchObject({ failed: 2, waiting: 1, delayed: 1 });
    expect(stats.ads).toMatchObject({ active: 1, waiting: 6, delayed: 3 });
    expect(stats.workflow.waiting).toBe(4 + 1);
    expect(stats.voice.paused).toBe(true);
    expect(queues.every((q) => !q.readOnlyMode)).toBe(true);
  });

  it("refuses a viewer's retry (403, the job stays failed) and retries a failed job for an admin, on two queue groups", async () => {
    const [seoJob] = failed.seo!;
    const [emailJob] = failed.email!;
    const { cookie } = await logIn(dashboard!, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    for (const headers of [{ cookie: cookie! }, bearer(TEST_CREDENTIALS.viewerToken)]) {
      const res = await fetch(`${dashboard!.url}/api/queues/seo/${seoJob}/retry`, { method: 'PUT', headers });
      expect(res.status).toBe(403);
    }
    expect(await producer.queue('seo').getJobState(seoJob!)).toBe('failed');
    expect((await boardQueues({ cookie: cookie! })).every((q) => q.readOnlyMode)).toBe(true);

    for (const [queue, id] of [['seo', seoJob], ['email', emailJob]] as const) {
      const res = await fetch(`${dashboard!.url}/api/queues/${queue}/${id}/retry`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) });
      expect([queue, res.status]).toEqual([queue, 204]);
      expect(await producer.queue(queue).getJobState(id!)).toBe('waiting');
    }
    expect(await producer.getQueueStats('seo')).toMatchObject({ failed: 2, waiting: 6 });
    expect(dashboard!.logs()).toContain(`"user":"admin-token","role":"admin","method":"PUT","path":"/api/queues/seo/${seoJob}/retry","status":204`);
  });

  it('exports on /metrics the depth of every queue equal to getAllQueueStats, with the active job\'s worker', async () => {
    const stats = await producer.getAllQueueStats();
    const samples = await scrape();
    for (const queue of ALL_QUEUE_NAMES) {
      const jobs = (state: string) => valueOf(samples, 'bullmq_queue_jobs', { queue, state });
      expect({
        queue,
        up: valueOf(samples, 'bullmq_queue_stats_up', { queue }),
        waiting: jobs('waiting')! + jobs('prioritized')! + jobs('waiting-children')!,
        active: jobs('active'),
        completed: jobs('completed'),
        failed: jobs('failed'),
        delayed: jobs('delayed'),
        paused: valueOf(samples, 'bullmq_queue_paused', { queue }) === 1,
      }).toEqual({ queue, up: 1, ...stats[queue] });
    }
    expect(valueOf(samples, 'bullmq_queue_jobs', { queue: 'workflow', state: 'prioritized' })).toBe(1);
    // CLIENT LIST is read on every master: the ads worker is found wherever its connection is.
    expect(valueOf(samples, 'bullmq_queue_workers', { queue: 'ads' })).toBe(1);
    expect(valueOf(samples, 'bullmq_queue_workers', { queue: 'seo' })).toBe(0);
  });

  it('keeps the logout marker under the {workflow} tag: a copied cookie is refused after logout', async () => {
    const { cookie } = await logIn(dashboard!, TEST_CREDENTIALS.viewer.user, TEST_CREDENTIALS.viewer.password);
    expect((await fetch(`${dashboard!.url}/api/queues`, { headers: { cookie: cookie! } })).status).toBe(200);
    const logout = await fetch(`${dashboard!.url}/logout`, { method: 'POST', headers: { cookie: cookie! }, redirect: 'manual' });
    expect(logout.status).toBe(303);
    expect((await fetch(`${dashboard!.url}/api/queues`, { headers: { cookie: cookie! } })).status).toBe(401);
    const key = `${prefix}:{workflow}:dashboard:sessions-valid-after:${TEST_CREDENTIALS.viewer.user}`;
    expect(Number(await admin.get(key))).toBeGreaterThan(0);
    expect(await admin.pttl(key)).toBeGreaterThan(0);
    expect(await admin.cluster('KEYSLOT', key)).toBe(await admin.cluster('KEYSLOT', '{workflow}'));
  });

  it('closes every connection it opened on shutdown (queues\' Clusters, probe, sessions)', async () => {
    release.forEach((r) => r());
    for (const clean of cleanups.splice(0).reverse()) await clean();
    await producer.close();
    // The dashboard's own connections (probe, sessions) are there until it stops.
    expect((await clientsSinceMark()).some((line) => / name=dashboard:/.test(line))).toBe(true);
    await dashboard!.stop();
    // Judged by client id, not by count: see waitForNoClientsSince.
    await waitForNoClientsSince(admin, clientsMark, 'no dashboard, producer or worker connection left on any master');
    dashboard = undefined;
  });
});
