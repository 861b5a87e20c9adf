import { Redis } from 'ioredis';
import { withTimeout } from '@jobs/common';
import { ioRedisOptions, RedisTlsError, type RedisSettings } from '@jobs/queue-contracts';
import type { Logger } from './logger-type';
import { PROBE_ANSWER_TIMEOUT_MS, type RedisProbe } from './redis-probe';

/**
 * The readiness probe on a standalone Redis (see `openRedisProbe`): one connection with producer
 * options (commands fail fast while it is down); ready when it is connected and answers PING
 * within {@link PROBE_ANSWER_TIMEOUT_MS}. Reasons: `redis <status>` (with the TLS refusal when there
 * is one) or `redis unreachable: <why>`.
 */
export function openStandaloneRedisProbe(settings: RedisSettings, connectionName: string, log: Logger): RedisProbe {
  const probe = new Redis({ ...ioRedisOptions(settings, 'producer'), connectionName });
  // The probe's last connection error, for /readyz; a certificate failure (RedisTlsError) is
  // logged at error once per distinct message, not on every reconnect.
  let probeError: Error | undefined;
  probe.on('error', (err) => {
    if (err instanceof RedisTlsError && err.message !== probeError?.message) log.error({ err }, 'Redis refused over TLS: not ready');
    else log.debug({ err }, 'probe connection error');
    probeError = err;
  });
  probe.on('ready', () => {
    probeError = undefined;
  });
  return {
    client: probe,
    get isReady() {
      return probe.status === 'ready';
    },
    recheckEvictionEveryProbe: false,
    async reasons() {
      if (probe.status !== 'ready') return [`redis ${probe.status}${probeError instanceof RedisTlsError ? `: ${probeError.message}` : ''}`];
      try {
        await withTimeout(probe.ping(), PROBE_ANSWER_TIMEOUT_MS, () => new Error(`no PING answer within ${PROBE_ANSWER_TIMEOUT_MS} ms`));
        return [];
      } catch (err) {
        return [`redis unreachable: ${(err as Error).message}`];
      }
    },
    onConnected(listener) {
      probe.on('ready', listener);
    },
    close() {
      probe.disconnect();
    },
  };
}
