import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { ioRedisOptions } from '@jobs/queue-contracts';
import { deletePrefix, leadEnrichmentActor, startFakeApifyServer, testRedisUrl, uniquePrefix, type FakeApifyServer, jsonLineSink } from '@jobs/test-support';
import { createLogger, createQueueWorker, type QueueWorker } from '@jobs/worker-kit';
import { loadConfig, type EnrichmentWorkerConfig } from '../config';
import { createEnrichmentHandlers } from '../create-enrichment-handlers';

export const APIFY_TOKEN = 'apify_api_local_test_token';
export const ACTOR_ID = 'sales-tools~lead-enricher';

/** The local Apify server with the enrichment actor registered. */
export async function startApifyFake(
  options: { rateLimitPerSecond?: number; rateLimitSlackMs?: number; durationMs?: number; fail?: (input: unknown) => string | null } = {},
): Promise<FakeApifyServer> {
  const server = await startFakeApifyServer({ token: APIFY_TOKEN, rateLimitPerSecond: options.rateLimitPerSecond, rateLimitSlackMs: options.rateLimitSlackMs });
  server.addActor(ACTOR_ID, { run: leadEnrichmentActor(), durationMs: options.durationMs ?? 30, fail: options.fail });
  return server;
}

/** The worker's environment pointed at the local Apify server, with a unique Redis prefix. */
export function enrichmentEnv(apify: FakeApifyServer, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: testRedisUrl(),
    BULLMQ_PREFIX: prefix,
    APIFY_BASE_URL: apify.baseUrl,
    APIFY_TOKEN,
    APIFY_ACTOR_ID: ACTOR_ID,
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** An in-process enrichment worker on real Redis, wired as main.ts wires it. */
export interface EnrichmentHarness {
  readonly prefix: string;
  readonly config: EnrichmentWorkerConfig;
  readonly redis: Redis;
  readonly queue: Queue;
  readonly events: QueueEvents;
  readonly logs: Record<string, unknown>[];
  startWorker(): QueueWorker;
  close(): Promise<void>;
}

export async function startEnrichmentHarness(apify: FakeApifyServer, env: Record<string, string> = {}): Promise<EnrichmentHarness> {
  const prefix = uniquePrefix('enrich');
  const config = loadConfig(enrichmentEnv(apify, prefix, env));
  const redis = new Redis(ioRedisOptions(config.worker.redis, 'worker'));
  const queue = new Queue('enrichment', { connection: ioRedisOptions(config.worker.redis, 'producer'), prefix });
  const events = new QueueEvents('enrichment', { connection: ioRedisOptions(config.worker.redis, 'worker'), prefix });
  await events.waitUntilReady();
  const { lines: logs, destination } = jsonLineSink();
  const log = createLogger({ level: 'debug', destination });
  const workers: QueueWorker[] = [];
  return {
    prefix,
    config,
    redis,
    queue,
    events,
    logs,
    startWorker() {
      const worker = createQueueWorker({ queue: 'enrichment', handlers: createEnrichmentHandlers(config, redis).handlers, config: config.worker, log });
      workers.push(worker);
      return worker;
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(1000)));
      await Promise.all([queue.close(), events.close()]);
      await redis.quit();
      await deletePrefix(testRedisUrl(), prefix);
    },
  };
}

/** `n` leads: emails at acme-N.example, every 7th lead's company unknown (not found). */
export function makeLeads(n: number, from = 0): { id: string; email?: string; company?: string; phone?: string }[] {
  return Array.from({ length: n }, (_, k) => {
    const i = from + k;
    return i % 7 === 6 ? { id: `lead-${i}`, company: `unknown-co-${i}` } : { id: `lead-${i}`, email: `person${i}@acme-${i % 13}.example` };
  });
}
