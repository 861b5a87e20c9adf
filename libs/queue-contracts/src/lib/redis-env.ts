import { envBooleanSchema, withoutEmptyValues } from '@jobs/common';
import type { RedisOptions } from 'bullmq';
import { z } from 'zod';
import { RedisConfigError } from './redis-config-error';
import { redisTlsConnector } from './redis-tls-connector';
import { redisTlsSettingsFromEnv, type RedisTlsEnv, type RedisTlsSettings } from './redis-tls-settings';
import { parseRedisClusterNodes, type RedisClusterNode } from './redis-cluster-nodes';

export { RedisConfigError } from './redis-config-error';

/** Where Redis is and how to log in. `tls` true for `rediss://` or `REDIS_TLS=true`. */
export interface RedisSettings {
  readonly host: string;
  readonly port: number;
  readonly username?: string;
  readonly password?: string;
  readonly db: number;
  readonly tls: boolean;
  /**
   * What the TLS connection trusts and presents (`REDIS_TLS_CA` …, see
   * `redisTlsSettingsFromEnv`); set whenever `tls` is, absent otherwise. Absent with `tls`
   * (settings built by hand): Node's public root CAs, no client certificate.
   */
  readonly tlsOptions?: RedisTlsSettings;
  /**
   * Set in cluster mode (`REDIS_CLUSTER_NODES`): the seed nodes, each reached with `username`,
   * `password` and the TLS settings above; `host`/`port` are then the first seed and `db` is 0
   * (a cluster has one database). Absent for a standalone Redis.
   */
  readonly clusterNodes?: readonly RedisClusterNode[];
}

/** The environment variables that locate Redis. */
export type RedisEnv = Partial<
  Record<'REDIS_URL' | 'REDIS_CLUSTER_NODES' | 'REDIS_HOST' | 'REDIS_PORT' | 'REDIS_USERNAME' | 'REDIS_PASSWORD' | 'REDIS_TLS' | 'REDIS_DB', string>
> &
  RedisTlsEnv;

const redisEnvSchema = z.object({
  REDIS_URL: z
    .string()
    .trim()
    .refine((v) => {
      try {
        return ['redis:', 'rediss:'].includes(new URL(v).protocol);
      } catch {
        return false;
      }
    }, 'must be a redis:// or rediss:// URL')
    .optional(),
  REDIS_CLUSTER_NODES: z.string().trim().optional(),
  REDIS_HOST: z.string().trim().min(1).default('127.0.0.1'),
  REDIS_PORT: z.coerce.number().int().min(1).max(65535).default(6379),
  REDIS_USERNAME: z.string().optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_TLS: envBooleanSchema.default(false),
  REDIS_DB: z.coerce.number().int().min(0).max(255).default(0),
});

/**
 * Reads the Redis location from the environment: `REDIS_URL`
 * (`redis://[user:password@]host[:port][/db]`, `rediss://` for TLS) wins over `REDIS_HOST`
 * (default 127.0.0.1), `REDIS_PORT` (6379), `REDIS_USERNAME`, `REDIS_PASSWORD`, `REDIS_TLS`
 * (`true`/`false`), `REDIS_DB` (0); with TLS on, `REDIS_TLS_CA`, `REDIS_TLS_CERT`, `REDIS_TLS_KEY`,
 * `REDIS_TLS_SERVERNAME` (files read here, once; see `redisTlsSettingsFromEnv`).
 *
 * `REDIS_CLUSTER_NODES` (`host:port,host:port,…`) turns on cluster mode: the credentials and TLS
 * variables then apply to every node, `REDIS_HOST`/`REDIS_PORT` are ignored, and `REDIS_URL` or a
 * `REDIS_DB` other than 0 is refused (one location only; a cluster has database 0 alone).
 * @param env - defaults to `process.env`; tests pass a plain object.
 * @throws RedisConfigError naming the variable when a value is malformed, or a TLS file is
 *   unreadable or not what it should be; with `REDIS_CLUSTER_NODES`, when an entry is not
 *   `host:port`, or `REDIS_URL` or a non-zero `REDIS_DB` is set too.
 */
export function redisSettingsFromEnv(env: RedisEnv = process.env): RedisSettings {
  const parsed = redisEnvSchema.safeParse(withoutEmptyValues(env));
  if (!parsed.success) {
    throw new RedisConfigError(parsed.error.issues.map((issue) => ({ variable: String(issue.path[0] ?? 'REDIS_URL'), message: issue.message })), {
      cause: parsed.error,
    });
  }
  const e = parsed.data;
  if (e.REDIS_CLUSTER_NODES !== undefined) {
    if (e.REDIS_URL) {
      throw new RedisConfigError([{ variable: 'REDIS_CLUSTER_NODES', message: 'set either REDIS_CLUSTER_NODES (a cluster) or REDIS_URL (one server), not both' }]);
    }
    if (e.REDIS_DB !== 0) throw new RedisConfigError([{ variable: 'REDIS_DB', message: 'a Redis Cluster has database 0 only: leave REDIS_DB unset' }]);
    const clusterNodes = parseRedisClusterNodes(e.REDIS_CLUSTER_NODES);
    const first = clusterNodes[0] as RedisClusterNode;
    const tlsOptions = redisTlsSettingsFromEnv(env, e.REDIS_TLS);
    return Object.freeze({
      host: first.host,
      port: first.port,
      username: e.REDIS_USERNAME || undefined,
      password: e.REDIS_PASSWORD || undefined,
      db: 0,
      tls: e.REDIS_TLS,
      ...(tlsOptions ? { tlsOptions } : {}),
      clusterNodes,
    });
  }
  if (e.REDIS_URL) {
    const url = new URL(e.REDIS_URL);
    const db = url.pathname.length > 1 ? Number(url.pathname.slice(1)) : e.REDIS_DB;
    if (!Number.isInteger(db) || db < 0) throw new RedisConfigError([{ variable: 'REDIS_URL', message: 'database must be a number' }]);
    const tls = url.protocol === 'rediss:' || e.REDIS_TLS;
    return withTls({
      host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
      port: url.port ? Number(url.port) : 6379,
      username: url.username ? decodeUserInfo(url.username, 'user name') : e.REDIS_USERNAME,
      password: url.password ? decodeUserInfo(url.password, 'password') : e.REDIS_PASSWORD,
      db,
      tls,
    }, redisTlsSettingsFromEnv(env, tls));
  }
  return withTls({
    host: e.REDIS_HOST,
    port: e.REDIS_PORT,
    username: e.REDIS_USERNAME || undefined,
    password: e.REDIS_PASSWORD || undefined,
    db: e.REDIS_DB,
    tls: e.REDIS_TLS,
  }, redisTlsSettingsFromEnv(env, e.REDIS_TLS));
}

/** `settings` frozen, with `tlsOptions` only when there are some (plain settings compare as before). */
function withTls(settings: Omit<RedisSettings, 'tlsOptions'>, tlsOptions: RedisTlsSettings | undefined): RedisSettings {
  return Object.freeze(tlsOptions ? { ...settings, tlsOptions } : settings);
}

function decodeUserInfo(value: string, what: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    throw new RedisConfigError([{ variable: 'REDIS_URL', message: `the ${what} has a malformed %-escape` }]);
  }
}

/**
 * A `host:port/db` description of the settings with no credentials, safe to log; in cluster mode
 * `redis-cluster://host:port,host:port` (or `rediss-cluster://` with TLS) naming the seeds.
 */
export function describeRedis(settings: RedisSettings): string {
  if (settings.clusterNodes) {
    return `${settings.tls ? 'rediss' : 'redis'}-cluster://${settings.clusterNodes.map((n) => `${n.host.includes(':') ? `[${n.host}]` : n.host}:${n.port}`).join(',')}`;
  }
  return `${settings.tls ? 'rediss' : 'redis'}://${settings.host}:${settings.port}/${settings.db}`;
}

/**
 * ioredis options for a role, following BullMQ's guide ("Going to production"):
 * - `worker`: `maxRetriesPerRequest: null`, so blocking commands wait out a Redis restart;
 * - `producer`: `enableOfflineQueue: false`, so an `add` fails fast instead of queueing in
 *   memory while Redis is down.
 * Reconnects back off from 200 ms up to 5 s.
 *
 * With `settings.tls`: `tls: { ca, cert, key, servername }` from `settings.tlsOptions` (Node
 * verifies the server's certificate against `ca`, or its public roots without one), and a
 * connector that turns certificate failures into a `RedisTlsError` naming the setting to fix.
 * A verification failure is retried like any connection failure (the server's certificate or
 * the settings may be fixed without a restart), but never silently: each attempt raises that
 * error on the client's `error` event.
 */
export function ioRedisOptions(settings: RedisSettings, role: 'worker' | 'producer'): RedisOptions {
  return {
    host: settings.host,
    port: settings.port,
    username: settings.username,
    password: settings.password,
    db: settings.db,
    ...(settings.tls ? tlsConnection(settings) : {}),
    connectTimeout: 5000,
    retryStrategy: (times) => Math.min(200 * times, 5000),
    ...(role === 'worker' ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1 }),
  };
}

/** The `tls` and `Connector` options of a TLS connection. */
function tlsConnection(settings: RedisSettings): Pick<RedisOptions, 'tls' | 'Connector'> {
  const t = settings.tlsOptions;
  const tls: NonNullable<RedisOptions['tls']> = {};
  // Only what is set: an explicit `ca: undefined` is harmless to Node, but keeps the object plain.
  if (t?.ca) tls.ca = t.ca;
  if (t?.cert) tls.cert = t.cert;
  if (t?.key) tls.key = t.key;
  if (t?.servername) tls.servername = t.servername;
  const Connector = redisTlsConnector({
    host: settings.host,
    caSet: Boolean(t?.ca),
    servername: t?.servername,
    clientCertificateSet: Boolean(t?.cert),
  });
  return { tls, Connector };
}
