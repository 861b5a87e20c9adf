import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, Redis } from 'ioredis';
import { freePort, startThrowawayRedis, type ThrowawayRedis } from './throwaway-redis';

/** A local Redis Cluster this process started: masters only, on loopback, nothing kept on disk. */
export interface ThrowawayRedisCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,…`: the value for `REDIS_CLUSTER_NODES`. */
  readonly nodes: string;
  /** Each master's client port, in start order. */
  readonly ports: readonly number[];
  /**
   * A ready ioredis `Cluster` over the nodes for a test's own reads and checks (`admin`). Its
   * errors are ignored (a test that stops a master sees them; it recovers on its own); `stop`
   * disconnects it, if the test has not.
   * @throws Error when it is not ready within 30 s, ends before it is ready, or the cluster is stopping.
   */
  openAdmin(): Promise<Cluster>;
  /** Disconnects the admin clients, stops every server (as `ThrowawayRedis.stop`) and removes the node files; idempotent. */
  stop(): Promise<void>;
}

/**
 * Starts `masters` (default 3) `redis-server`s with `--cluster-enabled yes` (each its own node
 * file in a temp directory, cluster bus on a free port of its own, no persistence), joins them
 * with `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes` (slots split evenly),
 * and resolves once every node's `CLUSTER INFO` says `cluster_state:ok`. `nodeTimeoutMs` sets
 * `cluster-node-timeout` (Redis's default 15 000): how long a master may not answer before the
 * others mark it failed and, with no replica to promote, report `cluster_state:fail`. On any failure what
 * was started is stopped and removed before the error is thrown.
 * @throws RedisServerMissingError without `redis-server`; Error when `redis-cli` fails or the
 *   cluster is not ok within 30 s.
 */
export async function startThrowawayRedisCluster(masters = 3, options: { readonly nodeTimeoutMs?: number } = {}): Promise<ThrowawayRedisCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'redis-cluster-'));
  const servers: ThrowawayRedis[] = [];
  const admins: Cluster[] = [];
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      for (const admin of admins) admin.disconnect();
      await Promise.all(servers.map((server) => server.stop()));
      rmSync(dir, { recursive: true, force: true });
    })());
  try {
    for (let i = 0; i < masters; i += 1) {
      // The bus port defaults to port + 10000, which may be taken or above 65535: pick one.
      const busPort = await freePort();
      servers.push(
        await startThrowawayRedis({
          args: [
            '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `nodes-${i}.conf`), '--cluster-port', String(busPort), '--dir', dir,
            ...(options.nodeTimeoutMs === undefined ? [] : ['--cluster-node-timeout', String(options.nodeTimeoutMs)]),
          ],
        }),
      );
    }
    const addresses = servers.map((server) => `127.0.0.1:${server.port}`);
    await run('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes']);
    await Promise.all(servers.map((server) => waitForClusterOk(server.port)));
    const openAdmin = async (): Promise<Cluster> => {
      if (stopping) throw new Error(`the cluster at ${addresses.join(',')} is stopping`);
      const admin = new Cluster(servers.map((server) => ({ host: '127.0.0.1', port: server.port })));
      admins.push(admin);
      admin.on('error', () => undefined);
      let timer: NodeJS.Timeout | undefined;
      try {
        await new Promise<void>((resolve, reject) => {
          admin.once('ready', () => resolve());
          admin.once('end', () => reject(new Error(`the admin client of the cluster at ${addresses.join(',')} ended before it was ready`)));
          // ioredis's Cluster retries for ever: a ceiling against a hang.
          timer = setTimeout(() => reject(new Error(`the admin client of the cluster at ${addresses.join(',')} was not ready within 30 s`)), 30_000);
        });
      } catch (err) {
        admin.disconnect();
        throw err;
      } finally {
        clearTimeout(timer);
      }
      return admin;
    };
    return { nodes: addresses.join(','), ports: servers.map((server) => server.port), openAdmin, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Runs a command to its end. @throws Error with its exit code and output when it fails. */
function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${output}`))));
  });
}

/** Resolves once the node on `port` reports `cluster_state:ok` (every slot served). */
async function waitForClusterOk(port: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: 1 });
  client.on('error', () => undefined);
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const info = await client.cluster('INFO').catch(() => '');
      if (/^cluster_state:ok/m.test(String(info))) return;
      if (Date.now() > deadline) throw new Error(`Redis Cluster node on port ${port} not ok within 30 s: ${String(info)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.disconnect();
  }
}
