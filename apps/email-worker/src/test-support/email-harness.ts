import { Queue, QueueEvents, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import { JobProducer, ioRedisOptions, type JobDataInput, type JobResult, type MailboxEvent } from '@jobs/queue-contracts';
import {
  deletePrefix,
  startFakeChatCompletionsServer,
  startFakeGmailServer,
  startFakeGraphMailServer,
  startFakeTokenService,
  testRedisUrl,
  uniquePrefix,
  type FakeChatCompletionsServer,
  type FakeGmailServer,
  type FakeGraphMailServer,
  type FakeTokenService,
  jsonLineSink,
} from '@jobs/test-support';
import { createLogger, createQueueWorker, type QueueWorker } from '@jobs/worker-kit';
import { loadConfig, type EmailWorkerConfig } from '../config';
import { createEmailHandlers } from '../create-email-handlers';

export const TOKEN_SECRET = 'token-service-secret';
export const CHAT_API_KEY = 'sk-local-test-key';

/** Every fake outside service the email worker talks to, on loopback. */
export interface EmailFakes {
  readonly gmail: FakeGmailServer;
  readonly graph: FakeGraphMailServer;
  readonly chat: FakeChatCompletionsServer;
  readonly tokens: FakeTokenService;
  close(): Promise<void>;
}

/** Starts the fakes (Gmail, Graph, chat completions, token service). */
export async function startEmailFakes(): Promise<EmailFakes> {
  const [gmail, graph, chat, tokens] = await Promise.all([
    startFakeGmailServer(),
    startFakeGraphMailServer(),
    startFakeChatCompletionsServer({ apiKey: CHAT_API_KEY }),
    startFakeTokenService(TOKEN_SECRET),
  ]);
  return {
    gmail,
    graph,
    chat,
    tokens,
    close: async () => {
      await Promise.all([gmail.close(), graph.close(), chat.close(), tokens.close()]);
    },
  };
}

/** The worker's environment pointed at the fakes, with a unique Redis prefix. */
export function emailWorkerEnv(fakes: EmailFakes, prefix: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: testRedisUrl(),
    BULLMQ_PREFIX: prefix,
    EMAIL_GMAIL_API_URL: `${fakes.gmail.origin}/`,
    EMAIL_GRAPH_API_URL: fakes.graph.origin,
    EMAIL_TOKEN_URL: fakes.tokens.url,
    EMAIL_TOKEN_SECRET: TOKEN_SECRET,
    OPENAI_BASE_URL: `${fakes.chat.origin}/v1`,
    OPENAI_API_KEY: CHAT_API_KEY,
    OPENAI_MODEL: 'local-test-model',
    OPENAI_CONTEXT_WINDOW_TOKENS: '8192',
    EMAIL_STREAM_KEY_PREFIX: `${prefix}:messages`,
    EMAIL_SYNC_PAGE_SIZE: '10',
    EMAIL_OUTLOOK_FOLDERS: 'inbox',
    HEALTH_PORT: '0',
    LOG_LEVEL: 'silent',
    ...extra,
  };
}

/** An in-process email worker on real Redis, wired exactly as main.ts wires it. */
export interface EmailWorkerHarness {
  readonly prefix: string;
  readonly config: EmailWorkerConfig;
  readonly redis: Redis;
  readonly producer: JobProducer;
  readonly events: QueueEvents;
  /** A plain BullMQ handle on the queue, to inspect jobs. */
  readonly queue: Queue;
  /** Pino lines the worker logged. */
  readonly logs: Record<string, unknown>[];
  startWorker(): QueueWorker;
  /** Enqueues a sync and waits for its result (throws its failure). */
  sync(data: JobDataInput<'EMAIL_SYNC'>, timeoutMs?: number): Promise<JobResult<'EMAIL_SYNC'>>;
  add<N extends 'EMAIL_SYNC' | 'EMAIL_DRAFT'>(name: N, data: JobDataInput<N>, opts?: { attempts?: number; backoff?: { type: 'fixed'; delay: number }; jobId?: string }): Promise<Job>;
  /** Every event in the provider's output stream, in order. */
  streamEvents(provider: 'gmail' | 'outlook'): Promise<MailboxEvent[]>;
  close(): Promise<void>;
}

/** Starts the harness; `env` overrides the worker's environment. */
export async function startEmailWorkerHarness(fakes: EmailFakes, env: Record<string, string> = {}): Promise<EmailWorkerHarness> {
  const prefix = uniquePrefix('email');
  const config = loadConfig(emailWorkerEnv(fakes, prefix, env));
  const redis = new Redis(ioRedisOptions(config.worker.redis, 'worker'));
  const producer = new JobProducer({ redis: config.worker.redis, prefix });
  const events = new QueueEvents('email', { connection: ioRedisOptions(config.worker.redis, 'worker'), prefix });
  await events.waitUntilReady();
  const queue = new Queue('email', { connection: ioRedisOptions(config.worker.redis, 'producer'), prefix });
  const { lines: logs, destination } = jsonLineSink();
  const log = createLogger({ level: 'debug', destination });
  const workers: QueueWorker[] = [];

  const harness: EmailWorkerHarness = {
    prefix,
    config,
    redis,
    producer,
    events,
    queue,
    logs,
    startWorker() {
      const worker = createQueueWorker({ queue: 'email', handlers: createEmailHandlers(config, redis), config: config.worker, log });
      workers.push(worker);
      return worker;
    },
    // Through the raw queue, so tests may set options the producer does not expose (backoff).
    add: (name, data, opts) => queue.add(name, data, { attempts: 3, backoff: { type: 'exponential', delay: 2000 }, ...opts }),
    async sync(data, timeoutMs = 20_000) {
      const job = await producer.add('EMAIL_SYNC', data);
      return (await job.waitUntilFinished(events, timeoutMs)) as JobResult<'EMAIL_SYNC'>;
    },
    async streamEvents(provider) {
      const entries = await redis.xrange(`${config.sink.kind === 'redis-stream' ? config.sink.streamKeyPrefix : ''}:${provider}`, '-', '+');
      return entries.map(([, fields]) => JSON.parse(fields[3] ?? 'null') as MailboxEvent);
    },
    async close() {
      await Promise.all(workers.map((w) => w.close(1000)));
      await Promise.all([producer.close(), events.close(), queue.close()]);
      await redis.quit();
      await deletePrefix(testRedisUrl(), prefix);
    },
  };
  return harness;
}
