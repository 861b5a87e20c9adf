import { spawn, type ChildProcess } from 'node:child_process';
import { Cluster, Redis } from 'ioredis';
import { queuePrefix, redisSettingsFromEnv, type QueueName, type RedisSettings } from '@jobs/queue-contracts';
import { freePort, startThrowawayRedisCluster, waitFor, type ThrowawayRedisCluster } from '@jobs/test-support';
import { bearer, callDashboard as call, CLIENT_TIMEOUT_MS } from './test-support/call-dashboard';
import { startTestDashboard, TEST_CREDENTIALS, type TestDashboard } from './test-support/start-test-dashboard';

// The dashboard on a Redis Cluster that is not whole: a master stopped, or no seed reachable.
// /readyz names what is missing, and Bull Board's API answers 503 with a short JSON error
// instead of hanging or passing ioredis's text on.

/** A plain connection to one node (no retries); the caller disconnects it. */
async function connectTo(port: number): Promise<Redis> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The process id of the redis-server on `port`, or undefined when none answers. */
async function processIdOn(port: number): Promise<number | undefined> {
  const client = await connectTo(port).catch(() => undefined);
  try {
    return client ? Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]) : undefined;
  } catch {
    return undefined;
  } finally {
    client?.disconnect();
  }
}

describe('dashboard on a Redis Cluster with a master stopped', () => {
  const prefix = 'dash-cluster-outage';
  let cluster: ThrowawayRedisCluster;
  let redis: RedisSettings;
  let admin: Cluster;
  let dashboard: TestDashboard | undefined;
  /** The master this file stopped and started again (its own redis-server), killed in afterAll. */
  let restarted: ChildProcess | undefined;

  const readyz = () => call(`http://127.0.0.1:${dashboard!.health.port}/readyz`) as Promise<{ status: number; body: { ready: boolean; reasons: string[] } }>;

  beforeAll(async () => {
    cluster = await startThrowawayRedisCluster(3);
    redis = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: cluster.nodes });
    admin = await cluster.openAdmin();
    // A ceiling far above any wait here, so what answers is the dashboard's mapping of the Redis
    // error, not the ceiling (dashboard-redis-outage.spec.ts covers the ceiling).
    dashboard = await startTestDashboard({ prefix, redisEnv: { REDIS_CLUSTER_NODES: cluster.nodes }, boardAnswerCeiling: { readMs: 300_000, writeMs: 300_000 } });
  }, 120_000);

  afterAll(async () => {
    await dashboard?.stop();
    admin?.disconnect();
    if (restarted && restarted.exitCode === null && restarted.signalCode === null) {
      const exited = new Promise((resolve) => restarted!.once('exit', resolve));
      restarted.kill('SIGKILL');
      await exited;
    }
    await cluster?.stop();
  }, 60_000);

  it('is not ready while a master (not the first seed) is stopped, naming it; Bull Board answers 503, not ioredis\'s text; all well once it is back', async () => {
    await waitFor('/readyz 200', async () => (await readyz()).status === 200, { timeoutMs: 30_000 });
    expect((await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).status).toBe(200);

    // The owner of the ads queue's slot, unless that is the first seed (then the seo queue's).
    const ownerOf = async (queue: QueueName) => {
      const slot = Number(await admin.cluster('KEYSLOT', `${queuePrefix({ redis, prefix }, queue)}:${queue}:wait`));
      return { queue, node: admin.slots[slot]![0]! };
    };
    const firstSeed = `127.0.0.1:${cluster.ports[0]}`;
    const target = [await ownerOf('ads'), await ownerOf('seo'), await ownerOf('workflow')].find(({ node }) => node !== firstSeed)!;
    const address = target.node;
    const port = Number(address.split(':')[1]);

    // Its own node file and bus port, to start it again as the same node.
    const node = await connectTo(port);
    const setting = async (name: string) => String(((await node.config('GET', name)) as string[])[1]);
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--cluster-enabled', 'yes',
      '--cluster-config-file', await setting('cluster-config-file'), '--cluster-port', await setting('cluster-port'), '--dir', await setting('dir')];
    await node.shutdown('NOSAVE').catch(() => undefined);
    node.disconnect();
    await waitFor(`master ${address} stopped`, async () => (await processIdOn(port)) === undefined, { timeoutMs: 20_000 });

    const down = await waitFor('a 503 naming the stopped master', async () => {
      const answer = await readyz();
      return answer.status === 503 && answer.body.reasons.some((reason) => reason.startsWith(`redis master ${address} unreachable: `)) ? answer : undefined;
    }, { timeoutMs: 30_000 });
    // Only that master is named, whatever its connection's state says.
    expect(down.body.reasons.every((reason) => reason.startsWith(`redis master ${address} unreachable: `))).toBe(true);

    // A read of every queue and a write on the stopped master's queue, by bearer token: 503 with
    // the dashboard's short error (the Redis error is in the log), never a 500 with ioredis's text.
    const list = await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) });
    expect(list).toEqual({ status: 503, retryAfter: null, body: { error: 'queues unavailable: Redis cannot serve the request now' } });
    const pause = await call(`${dashboard!.url}/api/queues/${target.queue}/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) });
    expect(pause).toEqual({ status: 503, retryAfter: null, body: { error: 'queues unavailable: Redis cannot serve the request now' } });
    expect(dashboard!.logs()).toContain('Bull Board call failed: Redis unavailable, answered 503');

    const child = spawn('redis-server', args, { stdio: 'ignore', detached: true });
    restarted = child;
    await waitFor(`master ${address} started again`, async () => (await processIdOn(port)) === child.pid, { timeoutMs: 20_000 });
    await waitFor('/readyz 200 once the master is back', async () => (await readyz()).status === 200, { timeoutMs: 60_000 });
    await waitFor('the queue list answered again', async () => (await call(`${dashboard!.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).status === 200, { timeoutMs: 60_000 });
  }, 180_000);
});

describe('dashboard on a Redis Cluster whose seeds do not answer', () => {
  let dashboard: TestDashboard | undefined;

  afterAll(async () => {
    await dashboard?.stop();
  });

  it('answers Bull Board API calls by bearer token 503 at once (no connection), pages as usual', async () => {
    const closed = await freePort();
    dashboard = await startTestDashboard({ prefix: 'dash-cluster-unreachable', redisEnv: { REDIS_CLUSTER_NODES: `127.0.0.1:${closed}` } });
    const noConnection = { status: 503, retryAfter: '5', body: { error: 'queues unavailable: no connection to Redis' } };
    expect(await call(`${dashboard.url}/api/queues`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).toEqual(noConnection);
    expect(await call(`${dashboard.url}/api/queues/email/pause`, { method: 'PUT', headers: bearer(TEST_CREDENTIALS.adminToken) })).toEqual(noConnection);
    // Any spelling of the API path.
    expect(await call(`${dashboard.url}/API//Queues/`, { headers: bearer(TEST_CREDENTIALS.viewerToken) })).toEqual(noConnection);
    const page = await fetch(`${dashboard.url}/`, { headers: bearer(TEST_CREDENTIALS.viewerToken), signal: AbortSignal.timeout(CLIENT_TIMEOUT_MS) });
    expect(page.status).toBe(200);
    const ready = (await call(`http://127.0.0.1:${dashboard.health.port}/readyz`)) as { status: number; body: { reasons: string[] } };
    expect(ready.status).toBe(503);
    expect(ready.body.reasons).toEqual([expect.stringMatching(/^redis (connecting|reconnecting|disconnecting|close|end|wait)$/)]);
  });
});
