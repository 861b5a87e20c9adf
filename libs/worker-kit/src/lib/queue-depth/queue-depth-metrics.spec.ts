import { FlowProducer, Queue, RedisQueueBackend, Worker, type Job } from 'bullmq';
import { Registry } from 'prom-client';
import { Redis } from 'ioredis';
import { ALL_QUEUE_NAMES, ioRedisOptions, JobProducer, redisSettingsFromEnv, type QueueName } from '@jobs/queue-contracts';
import { deletePrefix, startThrowawayRedis, testRedisUrl, uniquePrefix, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { startHealthServer, type HealthServer } from '../health-server';
import { QueueDepthMetrics } from './queue-depth-metrics';

/** One sample of the exposition text: metric name, labels, value. */
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

async function scrape(server: HealthServer): Promise<Sample[]> {
  const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
  expect(res.status).toBe(200);
  return parseMetrics(await res.text());
}

function valueOf(samples: Sample[], name: string, labels: Record<string, string>): number | undefined {
  const found = samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
  if (found.length > 1) throw new Error(`${found.length} samples of ${name} ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

describe('QueueDepthMetrics', () => {
  const url = testRedisUrl();
  const redis = redisSettingsFromEnv({ REDIS_URL: url });
  const cleanups: (() => Promise<unknown>)[] = [];

  afterEach(async () => {
    for (const clean of cleanups.splice(0).reverse()) await clean();
  });

  const serve = async (metrics: Omit<ConstructorParameters<typeof QueueDepthMetrics>[0], 'registry'>) => {
    const registry = new Registry();
    new QueueDepthMetrics({ registry, ...metrics });
    const server = await startHealthServer({ host: '127.0.0.1', port: 0, registry, readiness: () => ({ ready: true, reasons: [] }) });
    cleanups.push(() => server.close());
    return Object.assign(server, { registry });
  };

  it('exports every state of all six queues as getQueueStats counts them, paused, and connected workers', async () => {
    const prefix = uniquePrefix('depth');
    cleanups.push(() => deletePrefix(url, prefix));
    const connection = ioRedisOptions(redis, 'producer');
    const queues = ALL_QUEUE_NAMES.map((name) => new Queue(name, { connection, prefix }));
    cleanups.push(() => Promise.all(queues.map((q) => q.close())));
    const release: (() => void)[] = [];
    const workers: Worker[] = [];
    cleanups.push(async () => {
      release.forEach((r) => r());
      await Promise.all(workers.map((w) => w.close()));
    });
    const flows = new FlowProducer({ connection, prefix });
    cleanups.push(() => flows.close());

    await Promise.all(
      queues.map(async (queue, i) => {
        // One worker per queue, one job at a time: completes 'ok', fails 'bad', then holds 'hold'
        // (active) until the test ends, so it takes nothing added after.
        await queue.add('ok', {});
        await queue.addBulk(Array.from({ length: i + 1 }, () => ({ name: 'bad', data: {}, opts: { attempts: 1 } })));
        await queue.add('hold', {});
        const worker = new Worker(
          queue.name,
          async (job: Job) => {
            if (job.name === 'bad') throw new Error('bad job');
            if (job.name === 'hold') await new Promise<void>((resolve) => release.push(resolve));
          },
          { connection: ioRedisOptions(redis, 'worker'), prefix, concurrency: 1 },
        );
        workers.push(worker);
        await waitFor(`${queue.name}: 'hold' active`, async () => (await queue.getActiveCount()) === 1 && (await queue.getFailedCount()) === i + 1, { timeoutMs: 20_000 });
        // Different counts per queue and state, so a label mixed up shows.
        await queue.addBulk(Array.from({ length: i + 2 }, () => ({ name: 'w', data: {} })));
        await queue.addBulk(Array.from({ length: i + 3 }, (_, k) => ({ name: 'p', data: {}, opts: { priority: 1 + (k % 3) } })));
        await queue.addBulk(Array.from({ length: i + 1 }, () => ({ name: 'd', data: {}, opts: { delay: 3_600_000 } })));
        await flows.add({ name: 'parent', queueName: queue.name, data: {}, children: [{ name: 'child', queueName: queue.name, data: {} }] });
      }),
    );
    await queues[4].pause();

    const server = await serve({ queues });
    const samples = await scrape(server);
    const producer = new JobProducer({ redis, prefix, telemetry: 'off' });
    cleanups.push(() => producer.close());

    for (const [i, queue] of queues.entries()) {
      const stats = await producer.getQueueStats(queue.name as QueueName);
      const jobs = (state: string) => valueOf(samples, 'bullmq_queue_jobs', { queue: queue.name, state });
      expect({ queue: queue.name, up: valueOf(samples, 'bullmq_queue_stats_up', { queue: queue.name }) }).toEqual({ queue: queue.name, up: 1 });
      expect(jobs('waiting')! + jobs('prioritized')! + jobs('waiting-children')!).toBe(stats.waiting);
      expect({
        queue: queue.name,
        waiting: jobs('waiting'),
        prioritized: jobs('prioritized'),
        waitingChildren: jobs('waiting-children'),
        active: jobs('active'),
        delayed: jobs('delayed'),
        failed: jobs('failed'),
        completed: jobs('completed'),
        paused: valueOf(samples, 'bullmq_queue_paused', { queue: queue.name }),
        workers: valueOf(samples, 'bullmq_queue_workers', { queue: queue.name }),
      }).toEqual({
        queue: queue.name,
        waiting: i + 2 + 1, // plain jobs and the flow's child
        prioritized: i + 3,
        waitingChildren: 1,
        active: stats.active,
        delayed: stats.delayed,
        failed: stats.failed,
        completed: stats.completed,
        paused: stats.paused ? 1 : 0,
        workers: 1,
      });
      expect([stats.active, stats.delayed, stats.failed, stats.completed, stats.paused]).toEqual([1, i + 1, i + 1, 1, i === 4]);
      // Jobs were added moments ago.
      const age = valueOf(samples, 'bullmq_queue_oldest_waiting_job_age_seconds', { queue: queue.name })!;
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThan(600);
    }
  });

  it('measures the oldest waiting job from timestamp + delay, across wait, every priority class and overdue delayed jobs', async () => {
    const prefix = uniquePrefix('depth-age');
    cleanups.push(() => deletePrefix(url, prefix));
    const queue = new Queue('seo', { connection: ioRedisOptions(redis, 'producer'), prefix });
    cleanups.push(() => queue.close());
    const emptyQueue = new Queue('ads', { connection: ioRedisOptions(redis, 'producer'), prefix });
    cleanups.push(() => emptyQueue.close());
    const T = Date.UTC(2030, 0, 1);
    const server = await serve({ queues: [queue, emptyQueue], now: () => T });
    const age = async () => {
      const samples = await scrape(server);
      expect(valueOf(samples, 'bullmq_queue_oldest_waiting_job_age_seconds', { queue: 'ads' })).toBe(0);
      return valueOf(samples, 'bullmq_queue_oldest_waiting_job_age_seconds', { queue: 'seo' });
    };

    expect(await age()).toBe(0);
    // wait: the first added is at the taking (right) end.
    await queue.add('w', {}, { timestamp: T - 20_000 });
    await queue.add('w', {}, { timestamp: T - 10_000 });
    expect(await age()).toBe(20);
    // A LIFO job is pushed to the right of the older ones; they are still found.
    await queue.add('w', {}, { timestamp: T - 1_000, lifo: true });
    expect(await age()).toBe(20);
    // prioritized: the oldest sits first in the lowest (numerically highest) priority class.
    await queue.add('p', {}, { timestamp: T - 5_000, priority: 1 });
    await queue.add('p', {}, { timestamp: T - 30_000, priority: 9 });
    await queue.add('p', {}, { timestamp: T - 25_000, priority: 9 });
    await queue.add('p', {}, { timestamp: T - 2_000, priority: 4 });
    expect(await age()).toBe(30);
    // A delayed job not yet due does not wait.
    const notDue = await queue.add('d', {}, { timestamp: T - 100_000, delay: 200_000 });
    expect(await age()).toBe(30);
    await notDue.remove();
    // A delayed job waits from when it came due, also while no worker has moved it to wait (it is
    // still `delayed`); BullMQ resets the job's `delay` field to 0 when it moves it to wait, the
    // delay asked for is still counted.
    const delayed = await queue.add('d', {}, { timestamp: T - 100_000, delay: 40_000 });
    expect(await queue.getDelayedCount()).toBe(1);
    expect(await age()).toBe(60);
    await delayed.promote();
    expect(await queue.getWaitingCount()).toBe(4);
    expect(await age()).toBe(60);
  });

  it('reads each queue once per scrape, shared by its gauges, and again at the next scrape', async () => {
    // A Redis of its own: its command counters see this test's commands only.
    const server = await startThrowawayRedis();
    cleanups.push(() => server.stop());
    const connection = ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: server.url }), 'producer');
    const queues = ['email', 'voice', 'seo'].map((name) => new Queue(name, { connection, prefix: 'depth' }));
    cleanups.push(() => Promise.all(queues.map((q) => q.close())));
    const metrics = await serve({ queues });
    const waiting: (number | undefined)[] = [];
    for (let i = 0; i < 3; i += 1) {
      await queues[1].add('w', {});
      waiting.push(valueOf(await scrape(metrics), 'bullmq_queue_jobs', { queue: 'voice', state: 'waiting' }));
    }
    expect(waiting).toEqual([1, 2, 3]);

    const admin = new Redis(server.url);
    cleanups.push(async () => admin.disconnect());
    await admin.config('RESETSTAT');
    // Back to back, straight from the registry: nothing runs between one scrape and the next.
    for (let i = 0; i < 3; i += 1) await metrics.registry.metrics();
    const stats = await admin.info('commandstats');
    const calls = (command: string) => Number(new RegExp(`^cmdstat_${command}:calls=(\\d+)`, 'm').exec(stats)?.[1] ?? 0);
    expect({ scripts: calls('evalsha') + calls('eval'), clientList: calls('client\\|list') }).toEqual({ scripts: 3 * 3, clientList: 3 * 3 });
  });

  it('leaves bullmq_queue_workers out when Redis refuses CLIENT LIST, and exports the rest', async () => {
    const server = await startThrowawayRedis();
    cleanups.push(() => server.stop());
    const admin = new Redis(server.url);
    cleanups.push(async () => admin.disconnect());
    // As a managed Redis does for `CLIENT LIST` (ACL: NOPERM).
    await admin.call('ACL', 'SETUSER', 'default', '-client|list');
    const queue = new Queue('email', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: server.url }), 'producer'), prefix: 'depth' });
    cleanups.push(() => queue.close());
    await queue.add('w', {});
    await expect(queue.getWorkers()).rejects.toThrow(/client\|list/i);

    const samples = await scrape(await serve({ queues: [queue] }));
    expect(valueOf(samples, 'bullmq_queue_workers', { queue: 'email' })).toBeUndefined();
    expect(valueOf(samples, 'bullmq_queue_stats_up', { queue: 'email' })).toBe(1);
    expect(valueOf(samples, 'bullmq_queue_jobs', { queue: 'email', state: 'waiting' })).toBe(1);
  });

  it('reports a Redis that stops answering as stats_up 0 with no other gauge of that queue, within the timeout', async () => {
    const server: ThrowawayRedis = await startThrowawayRedis();
    cleanups.push(() => server.stop());
    const down = new Queue('voice', { connection: ioRedisOptions(redisSettingsFromEnv({ REDIS_URL: server.url }), 'producer'), prefix: 'depth' });
    // With its Redis gone, BullMQ's close() waits for a reconnect that never comes: drop the
    // connection first.
    cleanups.push(async () => {
      (await (down.backend as RedisQueueBackend).client).disconnect();
      await down.close().catch(() => undefined); // quit refused: the producer role has no offline queue
    });
    const prefix = uniquePrefix('depth-up');
    cleanups.push(() => deletePrefix(url, prefix));
    const up = new Queue('email', { connection: ioRedisOptions(redis, 'producer'), prefix });
    cleanups.push(() => up.close());
    await down.add('w', {});
    await up.add('w', {});
    // The default timeout (2 s): ample for the healthy queue even on a busy machine.
    const metrics = await serve({ queues: [down, up] });

    const before = await scrape(metrics);
    expect(valueOf(before, 'bullmq_queue_stats_up', { queue: 'voice' })).toBe(1);
    expect(valueOf(before, 'bullmq_queue_jobs', { queue: 'voice', state: 'waiting' })).toBe(1);

    // CLIENT PAUSE: the server holds every command it gets, as a Redis that hangs.
    const admin = new Redis(server.url);
    cleanups.push(async () => admin.disconnect());
    await admin.client('PAUSE', 60_000, 'ALL');
    for (let scrapeNo = 1; scrapeNo <= 2; scrapeNo += 1) {
      // The second scrape comes while the first one's read is still held.
      const samples = await scrape(metrics);
      const ofVoice = samples.filter((s) => s.labels['queue'] === 'voice');
      expect({ scrapeNo, ofVoice }).toEqual({ scrapeNo, ofVoice: [{ name: 'bullmq_queue_stats_up', labels: { queue: 'voice' }, value: 0 }] });
      expect(valueOf(samples, 'bullmq_queue_stats_up', { queue: 'email' })).toBe(1);
      expect(valueOf(samples, 'bullmq_queue_jobs', { queue: 'email', state: 'waiting' })).toBe(1);
    }

    await server.stop();
    const afterStop = await scrape(metrics);
    expect(valueOf(afterStop, 'bullmq_queue_stats_up', { queue: 'voice' })).toBe(0);
    expect(afterStop.filter((s) => s.labels['queue'] === 'voice')).toHaveLength(1);
  });
});
