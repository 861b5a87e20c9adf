import { Cluster, Redis, ReplyError } from 'ioredis';
import { withTimeout } from '@jobs/common';
import { CLUSTER_QUIT_TIMEOUT_MS, clusterOptions, describeRedis, ioRedisOptions, RedisTlsError, type RedisSettings } from '@jobs/queue-contracts';
import type { Logger } from './logger-type';

/**
 * A client for an app's own keys: a standalone `Redis`, or an ioredis `Cluster` when
 * `REDIS_CLUSTER_NODES` is set. Both run the same commands and scripts (`defineCommand`,
 * `eval`, `multi`); on a cluster every key of one command, script or MULTI must hash to one slot,
 * which keys under {@link appKeyPrefix} (one hash tag per app) do.
 */
export type AppRedis = Redis | Cluster;

/**
 * A connected Redis client for an app's own keys (state, locks, records): producer options (a
 * command fails fast rather than queueing while Redis is away), named `connectionName` in
 * `CLIENT LIST` (on every node in cluster mode), connection errors logged at debug level. The
 * caller quits it on shutdown. In cluster mode it is an ioredis `Cluster` over the seed nodes,
 * ready once `CLUSTER INFO` says `cluster_state:ok`; keep the app's keys under `appKeyPrefix`.
 * @throws Error naming the Redis (without credentials) when it cannot connect, with the reason
 *   when there is one to act on: a refused certificate (names the REDIS_TLS_* setting), or Redis's
 *   error reply (`WRONGPASS …`, a seed without cluster support).
 */
export async function connectAppRedis(settings: RedisSettings, connectionName: string, log: Logger): Promise<AppRedis> {
  const redis: AppRedis = settings.clusterNodes
    ? new Cluster(
        settings.clusterNodes.map((node) => ({ host: node.host, port: node.port })),
        (() => {
          const options = clusterOptions(settings, 'producer');
          return { ...options, lazyConnect: true, redisOptions: { ...options.redisOptions, connectionName } };
        })(),
      )
    : new Redis({ ...ioRedisOptions(settings, 'producer'), lazyConnect: true, connectionName });
  // ioredis's connect() rejects with "Connection is closed." after the socket's own error:
  // keep that error, so a failed start says why (e.g. a RedisTlsError naming REDIS_TLS_CA).
  let lastError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastError = err;
    log.debug({ err }, `${connectionName} connection error`);
  });
  await redis.connect().catch(async (err: unknown) => {
    const seen = lastError;
    redis.disconnect();
    // A Cluster's errors never carry the reason: ioredis asks each seed for the slot map on a
    // duplicate connection whose own errors it drops, so all that comes back is
    // ClusterAllFailedError ("Failed to refresh slots cache.", last node error "Connection is
    // closed."). One plain connection to the seeds then says why (a refused certificate).
    const cause = (redis instanceof Cluster ? await clusterSeedRefusal(settings) : undefined) ?? seen ?? err;
    // A certificate refusal names the setting to fix; Redis's own refusal (WRONGPASS, NOAUTH,
    // "cluster support disabled") is its error reply, whose message holds no credential.
    // (ioredis types ReplyError as `any`, hence the cast.)
    const reason = cause instanceof RedisTlsError || cause instanceof ReplyError ? `: ${(cause as Error).message}` : '';
    throw new Error(`Redis at ${describeRedis(settings)} is not reachable${reason}`, { cause });
  });
  return redis;
}

/** The default bound of {@link clusterSeedRefusal}, in ms. */
export const SEED_CHECK_TIMEOUT_MS = 5000;

/** Options of {@link clusterSeedRefusal}. */
export interface SeedCheckOptions {
  /** The whole check's bound, in ms (default {@link SEED_CHECK_TIMEOUT_MS}): a seed that has not answered by then says nothing. */
  readonly timeoutMs?: number;
  /** Ends the check at once (its connections closed), answering what the seeds said so far. */
  readonly signal?: AbortSignal;
}

/**
 * Why the seed nodes of a cluster (`settings.clusterNodes`) refuse a connection, for a message
 * when an ioredis `Cluster` failed with nothing to act on ("Failed to refresh slots cache.",
 * last node error "Connection is closed."): the first 3 seeds are each tried at once on a plain
 * connection with the nodes' options (TLS, credentials) and asked `CLUSTER INFO`.
 * @returns the first error, in seed order, that is a `RedisTlsError` (names the REDIS_TLS_*
 *   setting to fix) or a Redis error reply (`WRONGPASS …`, `ERR This instance has cluster support
 *   disabled` from a standalone Redis; a new `ReplyError` with the message alone, as ioredis's
 *   carries the command's arguments, e.g. the AUTH password); undefined when no seed says why
 *   (unreachable, silent, or a working cluster node).
 *   Never rejects; settles within `timeoutMs` (or at `signal`), every connection it opened closed.
 */
export async function clusterSeedRefusal(settings: RedisSettings, options: SeedCheckOptions = {}): Promise<Error | undefined> {
  const timeoutMs = options.timeoutMs ?? SEED_CHECK_TIMEOUT_MS;
  const seeds = (settings.clusterNodes ?? []).slice(0, 3).map(
    (node) =>
      new Redis({
        ...ioRedisOptions(settings, 'producer'),
        host: node.host,
        port: node.port,
        lazyConnect: true,
        retryStrategy: () => null,
        maxRetriesPerRequest: 0,
        connectTimeout: timeoutMs,
        commandTimeout: timeoutMs,
      }),
  );
  const answers: (Error | undefined)[] = [];
  const asked = seeds.map(async (seed, i) => {
    let seen: Error | undefined;
    seed.on('error', (err: Error) => (seen ??= err));
    const connected = await seed.connect().then(
      () => true,
      (err: Error) => ((seen ??= err), false),
    );
    // It answers: is it a cluster node? ("ERR This instance has cluster support disabled")
    if (connected) await seed.cluster('INFO').catch((err: Error) => (seen ??= err));
    answers[i] = seen instanceof RedisTlsError ? seen : seen instanceof ReplyError ? (new ReplyError((seen as Error).message) as Error) : undefined;
  });
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    await Promise.race([
      Promise.all(asked),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeoutMs);
        onAbort = () => resolve();
        if (options.signal?.aborted) resolve();
        options.signal?.addEventListener('abort', onAbort, { once: true });
      }),
    ]);
  } finally {
    clearTimeout(timer);
    if (onAbort) options.signal?.removeEventListener('abort', onAbort);
    for (const seed of seeds) {
      // One already ended (refused, TLS failed, WRONGPASS) is left alone: disconnect() would arm
      // ioredis's 2 s wait for a 'close' that has already happened.
      if (seed.status !== 'end') seed.disconnect();
      // disconnect() half-closes a connected socket; a seed that never answers never closes its side.
      seed.stream?.destroy();
    }
  }
  return answers.find((answer) => answer !== undefined);
}

/**
 * Closes a client from {@link connectAppRedis}: QUIT (pending replies first), or a plain
 * disconnect when it is not connected, or when a node has not answered QUIT within
 * `CLUSTER_QUIT_TIMEOUT_MS` (2000 ms; a stalled node must not hold a shutdown). Never rejects.
 */
export async function closeAppRedis(redis: AppRedis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status !== 'ready') {
    redis.disconnect();
    return;
  }
  await withTimeout(redis.quit(), CLUSTER_QUIT_TIMEOUT_MS, () => new Error('QUIT timed out')).then(
    () => undefined,
    () => redis.disconnect(),
  );
}
