import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { trackChildProcess } from './leak-check';

/** A `redis-server` this process started, on loopback, keeping nothing on disk. */
export interface ThrowawayRedis {
  readonly url: string;
  readonly port: number;
  /** Stops the server (SIGTERM, then SIGKILL after 2 s); idempotent. */
  stop(): Promise<void>;
}

/** No `redis-server` on PATH; the message says how to install one. */
export class RedisServerMissingError extends Error {
  override readonly name = 'RedisServerMissingError';
  constructor() {
    super(
      'No redis-server found on PATH. Install one (Debian/Ubuntu: `sudo apt-get install redis-server`; ' +
        'macOS: `brew install redis`), or point REDIS_URL at a Redis you run.',
    );
  }
}

/** A TCP port that was free a moment ago on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** True when `redis-server` can be run. */
export function hasRedisServer(): boolean {
  return spawnSync('redis-server', ['--version'], { stdio: 'ignore' }).status === 0;
}

/**
 * Starts a throwaway `redis-server` on a free loopback port with no persistence
 * (`--save "" --appendonly no`) and `maxmemory-policy` as given (default `noeviction`, which
 * BullMQ needs). `password` sets `--requirepass` (and is used for the start-up PING); `args` are
 * passed on as they are (e.g. `['--rename-command', 'CONFIG', '']`). Resolves once it answers
 * PING and reports its own process id: a port found free
 * can be taken by another test run (Nx runs projects in parallel) before this server binds it,
 * and then another run's Redis would answer; such a start is retried on a new port (5 tries).
 * @throws RedisServerMissingError when no `redis-server` is installed.
 */
export async function startThrowawayRedis(
  options: { maxmemoryPolicy?: string; password?: string; args?: readonly string[] } = {},
): Promise<ThrowawayRedis> {
  if (!hasRedisServer()) throw new RedisServerMissingError();
  for (let attempt = 1; ; attempt += 1) {
    const started = await startOnFreePort(options);
    if (started) return started;
    if (attempt === 5) throw new Error('redis-server did not start on any of 5 free ports');
  }
}

/** One try of {@link startThrowawayRedis}; `undefined` when the port was lost to another process. */
async function startOnFreePort(options: { maxmemoryPolicy?: string; password?: string; args?: readonly string[] }): Promise<ThrowawayRedis | undefined> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    [
      ...['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', options.maxmemoryPolicy ?? 'noeviction'],
      ...(options.password ? ['--requirepass', options.password] : []),
      ...(options.args ?? []),
    ],
    // Its own process group: a terminal's Ctrl-C must not take Redis away from a worker that is
    // still shutting down; stop() ends it, after the worker.
    { stdio: 'ignore', detached: true },
  );
  trackChildProcess(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, password: options.password });
    client.on('error', () => undefined);
    let pid: number | undefined;
    try {
      await client.connect();
      await client.ping();
      pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
    } catch {
      // not up yet, or another server that refuses our password
    } finally {
      client.disconnect();
    }
    if (pid === child.pid) break;
    if (pid !== undefined || child.exitCode !== null || child.signalCode !== null) {
      // Another process's server holds the port (ours could not bind it).
      child.kill('SIGKILL');
      await exited;
      return undefined;
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
