import type { AppRedis } from '@jobs/worker-kit';
import type { EmailWorkerConfig } from '../../config';
import type { MessageSink } from './message-sink';
import { RedisStreamSink } from './redis-stream-sink';
import { WebhookSink } from './webhook-sink';

/** Wait suggested to a sync whose output is full (ms). */
export const SINK_BACKPRESSURE_DELAY_MS = 30_000;

/**
 * The configured sync output (`EMAIL_SINK`): Redis Stream (default) or signed webhook, with its
 * markers where the config put them (`sink.markerKeyPrefixes` / `sink.markerKeyPrefix`).
 * `redis` is the app's state connection (a `Cluster` in cluster mode); the caller closes it.
 */
export function createMessageSink(config: EmailWorkerConfig, redis: AppRedis): MessageSink {
  const sink = config.sink;
  if (sink.kind === 'webhook') {
    return new WebhookSink({
      url: sink.url,
      secret: sink.secret,
      redis,
      markerKeyPrefix: sink.markerKeyPrefix,
      markerTtlMs: sink.markerTtlMs,
      timeoutMs: sink.timeoutMs,
      maxBodyBytes: sink.maxBodyBytes,
      backpressureDelayMs: SINK_BACKPRESSURE_DELAY_MS,
    });
  }
  return new RedisStreamSink({
    redis,
    streamKeyPrefix: sink.streamKeyPrefix,
    maxLen: sink.maxLen,
    group: sink.group,
    markerKeyPrefixes: sink.markerKeyPrefixes,
    markerTtlMs: sink.markerTtlMs,
    backpressureDelayMs: SINK_BACKPRESSURE_DELAY_MS,
  });
}
