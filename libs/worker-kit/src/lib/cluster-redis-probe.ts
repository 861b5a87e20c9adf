import { Cluster } from 'ioredis';
import { withTimeout } from '@jobs/common';
import { clusterOptions, RedisTlsError, type RedisSettings } from '@jobs/queue-contracts';
import { clusterMasters, type ClusterMaster } from './cluster-masters';
import { clusterSeedRefusal } from './connect-app-redis';
import type { Logger } from './logger-type';
import { PROBE_ANSWER_TIMEOUT_MS, type RedisProbe } from './redis-probe';

/**
 * How long a seed check's answer (`clusterSeedRefusal`) stands for the probes that follow, in
 * ms: each check opens a connection to up to 3 seeds, which a probe every few seconds should not.
 */
const SEED_CHECK_REUSE_MS = 15_000;

/** What one master answered to the probe. */
type MasterAnswer = { readonly node: string; readonly state: string } | { readonly node: string; readonly error: string };

/**
 * The readiness probe on a Redis Cluster (see `openRedisProbe`): an ioredis `Cluster` over the
 * seed nodes with producer options (`clusterOptions`), so it is ready only once `CLUSTER INFO`
 * says `cluster_state:ok`. It judges the whole cluster, not one seed: ready when the Cluster
 * client is ready and every master (see `clusterMasters`) answers PING and reports
 * `cluster_state:ok`, each within {@link PROBE_ANSWER_TIMEOUT_MS}. Reasons:
 * - `redis cluster <status>` while the client is not ready, with why when a seed says so: a TLS
 *   refusal naming the REDIS_TLS_* setting, `WRONGPASS …`, `cluster support disabled` (a
 *   standalone Redis as seed); ioredis drops these, so the seeds are asked on plain connections
 *   (`clusterSeedRefusal`: one check at a time, its answer reused for {@link SEED_CHECK_REUSE_MS};
 *   logged at error once per distinct reason until the client is ready again);
 * - `redis master <host:port> unreachable: <why>` per master that does not answer (`not connected`
 *   while the client has no connection to it: asking also refreshes the slot map, which reconnects
 *   to it once it is back);
 * - `redis cluster_state:<state> on <host:port>, …` naming the masters that see the cluster failing.
 */
export function openClusterRedisProbe(settings: RedisSettings, connectionName: string, log: Logger): RedisProbe {
  const options = clusterOptions(settings, 'producer');
  const cluster = new Cluster(
    (settings.clusterNodes ?? []).map((node) => ({ host: node.host, port: node.port })),
    { ...options, redisOptions: { ...options.redisOptions, connectionName } },
  );
  // The last connection error, for /readyz; a certificate failure (RedisTlsError) is logged at
  // error once per distinct message, not on every reconnect. A node's own failures come as
  // 'node error', the cluster's (no seed reachable, slot refresh failed) as 'error'.
  let probeError: Error | undefined;
  const onError = (err: Error) => {
    if (err instanceof RedisTlsError && err.message !== probeError?.message) log.error({ err }, 'Redis refused over TLS: not ready');
    else log.debug({ err }, 'probe connection error');
    probeError = err;
  };
  cluster.on('error', onError);
  cluster.on('node error', onError);
  cluster.on('ready', () => {
    probeError = undefined;
    loggedRefusal = undefined;
    // A settled answer is dropped; a pending check is kept, and asked again once it settles.
    if (seedCheck?.settledAt !== undefined) seedCheck = undefined;
    else if (seedCheck) seedCheck.staleOnSettle = true;
  });
  // One seed check at a time, its answer reused for SEED_CHECK_REUSE_MS after it settled;
  // close() ends a pending one (its connections closed) and no check starts after it.
  let seedCheck: { settledAt?: number; staleOnSettle?: boolean; readonly refusal: Promise<Error | undefined> } | undefined;
  let loggedRefusal: string | undefined;
  const closing = new AbortController();
  const seedRefusal = async (): Promise<Error | undefined> => {
    if (closing.signal.aborted) return undefined;
    const stale = seedCheck?.settledAt !== undefined && (seedCheck.staleOnSettle === true || Date.now() - seedCheck.settledAt > SEED_CHECK_REUSE_MS);
    if (!seedCheck || stale) {
      const check: { settledAt?: number; staleOnSettle?: boolean; refusal: Promise<Error | undefined> } = { refusal: clusterSeedRefusal(settings, { signal: closing.signal }) };
      const settled = () => (check.settledAt = Date.now());
      void check.refusal.then(settled, settled);
      seedCheck = check;
    }
    // Not waited for past a probe's answer time: a slow check's answer serves the next probe.
    const refusal = await withTimeout(seedCheck.refusal, PROBE_ANSWER_TIMEOUT_MS, () => new Error('seed check pending')).catch(() => undefined);
    if (refusal && refusal.message !== loggedRefusal) {
      loggedRefusal = refusal.message;
      log.error({ err: refusal }, 'Redis Cluster seed refused the connection: not ready');
    }
    return refusal;
  };
  return {
    client: cluster,
    get isReady() {
      return cluster.status === 'ready';
    },
    recheckEvictionEveryProbe: true,
    async reasons() {
      if (cluster.status !== 'ready') {
        const why = probeError instanceof RedisTlsError ? probeError : await seedRefusal();
        return [`redis cluster ${cluster.status}${why ? `: ${why.message}` : ''}`];
      }
      const masters = clusterMasters(cluster);
      if (masters.length === 0) return ['redis cluster: no master in its slot map yet'];
      // ioredis drops a stopped master's connection and adds one again only with a new slot map.
      if (masters.some(({ client }) => !client)) cluster.refreshSlotsCache();
      const answers = await Promise.all(masters.map(askMaster));
      const reasons: string[] = [];
      const failing = new Map<string, string[]>();
      for (const answer of answers) {
        if ('error' in answer) reasons.push(`redis master ${answer.node} unreachable: ${answer.error}`);
        else if (answer.state !== 'ok') failing.set(answer.state, [...(failing.get(answer.state) ?? []), answer.node]);
      }
      for (const [state, nodes] of failing) reasons.push(`redis cluster_state:${state} on ${nodes.join(', ')}`);
      return reasons;
    },
    onConnected(listener) {
      cluster.on('ready', listener);
      // A node added to the pool: a failover's new master, or one back after it stopped.
      cluster.on('+node', () => {
        if (cluster.status === 'ready') listener();
      });
    },
    close() {
      closing.abort();
      cluster.disconnect();
    },
  };
}

/** PING and `CLUSTER INFO` on one master, bounded by {@link PROBE_ANSWER_TIMEOUT_MS}. */
async function askMaster({ node, client }: ClusterMaster): Promise<MasterAnswer> {
  if (!client) return { node, error: 'not connected' };
  try {
    const [, info] = await withTimeout(
      Promise.all([client.ping(), client.cluster('INFO')]),
      PROBE_ANSWER_TIMEOUT_MS,
      () => new Error(`no PING answer within ${PROBE_ANSWER_TIMEOUT_MS} ms`),
    );
    return { node, state: /^cluster_state:(\S+)/m.exec(String(info))?.[1] ?? 'unknown' };
  } catch (err) {
    return { node, error: err instanceof Error ? err.message : String(err) };
  }
}
