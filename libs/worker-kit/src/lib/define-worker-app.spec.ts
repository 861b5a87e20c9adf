import { createServer, type Server } from 'node:net';
import { Redis } from 'ioredis';
import { jsonLineSink, startThrowawayRedis, uniquePrefix, waitFor, type ThrowawayRedis } from '@jobs/test-support';
import { fixtureApp } from '../test-support/fixture-app';
import { ConfigError } from './config-error';
import { defineWorkerApp } from './define-worker-app';
import { loadWorkerConfig } from './worker-config';

// In-process starts of a defined app against a private redis-server, so CLIENT LIST shows only
// the app's connections and ours: what a failed start or a shutdown leaves open is counted.
describe('defineWorkerApp', () => {
  let server: ThrowawayRedis;
  let admin: Redis;
  let blocker: Server | undefined;

  /** Clients of the private Redis other than the test's own admin connection. */
  const appClients = async () => {
    const own = await admin.client('ID');
    const lines = String(await admin.client('LIST'))
      .split('\n')
      .filter((line) => line.startsWith('id=') && !line.startsWith(`id=${own} `));
    return lines.map((line) => /\bname=(\S*)/.exec(line)?.[1] ?? '');
  };
  /** The resources a logger said it released, in order. */
  const releasedIn = (lines: Record<string, unknown>[]) => lines.filter((l) => l['msg'] === 'released').map((l) => l['resource']);
  const envFor = (extra: Record<string, string> = {}) => ({
    REDIS_URL: server.url,
    BULLMQ_PREFIX: uniquePrefix('define'),
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'debug',
    ...extra,
  });

  beforeAll(async () => {
    server = await startThrowawayRedis();
    admin = new Redis(server.url);
  });
  afterEach(async () => {
    await new Promise<void>((resolve) => (blocker ? blocker.close(() => resolve()) : resolve()));
    blocker = undefined;
  });
  afterAll(async () => {
    admin.disconnect();
    await server.stop();
  });

  it('runs, then on shutdown releases newest first and leaves no connection open', async () => {
    const sink = jsonLineSink();
    const exit = jest.fn();
    const app = await fixtureApp.start({ env: envFor(), handleSignals: false, exit, logDestination: sink.destination });
    // The counting sees the app: its state connection and its probe (connecting on its own) are named.
    await waitFor('the probe connection', async () => (await appClients()).includes('workflow:probe'));
    expect(await appClients()).toContain('fixture-worker:state');
    await app.shutdown.shutdown('test');
    expect(releasedIn(sink.lines)).toEqual([
      'health server',
      'probe connection',
      'worker',
      'state connection',
      'queue handle',
    ]);
    await waitFor('no app connection left', async () => (await appClients()).length === 0);
  });

  it('on a failed start (health port taken) rejects with the cause and leaves no connection open', async () => {
    blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker!.listen(0, '127.0.0.1', () => resolve((blocker!.address() as { port: number }).port)));
    const sink = jsonLineSink();
    await expect(
      fixtureApp.start({ env: envFor({ HEALTH_PORT: String(port) }), handleSignals: false, exit: jest.fn(), logDestination: sink.destination }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    // Everything the start had acquired, down to the state connection, was released.
    expect(releasedIn(sink.lines)).toEqual([
      'probe connection',
      'worker',
      'state connection',
      'queue handle',
    ]);
    await waitFor('no app connection left', async () => (await appClients()).length === 0);
  });

  it("releases what the app's build acquired when build fails, and a failing releaser does not stop the others", async () => {
    const sink = jsonLineSink();
    const released: string[] = [];
    const failing = defineWorkerApp({
      name: 'failing-app',
      queue: 'workflow',
      loadConfig: (env) => ({ worker: loadWorkerConfig({ concurrency: 1, maxJobsPerSecond: 0, healthPort: 0 }, env) }),
      build: async ({ stateRedis, release }) => {
        await stateRedis();
        release('webhook server', () => {
          released.push('webhook server');
          throw new Error('already closed');
        });
        release('vendor client', () => void released.push('vendor client'));
        throw new Error('vendor unreachable');
      },
    });
    await expect(failing.start({ env: envFor(), handleSignals: false, logDestination: sink.destination })).rejects.toThrow('vendor unreachable');
    expect(released).toEqual(['vendor client', 'webhook server']);
    expect(releasedIn(sink.lines)).toEqual(['vendor client', 'state connection', 'queue handle']);
    await waitFor('no app connection left', async () => (await appClients()).length === 0);
  });

  it('refuses a bad configuration with a ConfigError before acquiring anything', async () => {
    const before = (await appClients()).length;
    const error = await fixtureApp.start({ env: envFor({ SHUTDOWN_GRACE_MS: '40000', SHUTDOWN_TIMEOUT_MS: '30000' }), handleSignals: false }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable)).toEqual(['SHUTDOWN_GRACE_MS']);
    expect((await appClients()).length).toBe(before);
  });
});
