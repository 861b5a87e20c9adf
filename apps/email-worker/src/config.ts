import { z } from 'zod';
import { appKeyPrefix, httpUrlSchema, QUEUE_NAMES, type EmailProvider } from '@jobs/queue-contracts';
import { ConfigError, loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import { streamMarkerKeyPrefixes } from './lib/sinks/stream-keys';

/**
 * Defaults of the email worker, from DESIGN.md's table: concurrency 5, 10 jobs/s, health port
 * 9101. Five syncs at once keep a container busy on network waits (each sync also downloads
 * `EMAIL_SYNC_FETCH_CONCURRENCY` messages at once) while mailparser's CPU work stays small.
 */
export const EMAIL_WORKER_DEFAULTS = Object.freeze({ concurrency: 5, maxJobsPerSecond: 10, healthPort: 9101 });

const DAY_MS = 86_400_000;

/** The namespace of the worker's own Redis keys, under its queue's prefix (`appKeyPrefix`). */
export const EMAIL_WORKER_KEY_NAMESPACE = 'email-worker';

/** The email worker's resolved configuration. */
export interface EmailWorkerConfig {
  readonly worker: WorkerConfig;
  /**
   * Prefix of the worker's own Redis keys (sync state, locks, draft records, webhook markers):
   * `appKeyPrefix(worker, 'email', 'email-worker')`, i.e. `<BULLMQ_PREFIX>:email-worker` on a
   * standalone Redis, `<BULLMQ_PREFIX>:{workflow}:email-worker` on a cluster (the email queue's slot).
   */
  readonly keyPrefix: string;
  readonly gmail: Readonly<{ rootUrl: string }>;
  /** Graph root without the API version (`v1.0` is added). */
  readonly graph: Readonly<{ baseUrl: string; folders: readonly string[] }>;
  readonly tokens: Readonly<{ url: string; secret: string }>;
  readonly sync: Readonly<{
    pageSize: number;
    fetchConcurrency: number;
    lookbackMs: number;
    resyncOverlapMs: number;
    requestTimeoutMs: number;
  }>;
  readonly sink: Readonly<
    | {
        kind: 'redis-stream';
        streamKeyPrefix: string;
        maxLen: number;
        group: string;
        markerTtlMs: number;
        /** Per provider stream, the prefix of its repeat markers (see streamMarkerKeyPrefixes). */
        markerKeyPrefixes: Readonly<Record<EmailProvider, string>>;
      }
    | {
        kind: 'webhook';
        url: string;
        secret: string;
        markerTtlMs: number;
        timeoutMs: number;
        maxBodyBytes: number;
        /** Prefix of the markers of events the receiver accepted: `<keyPrefix>:sent:`. */
        markerKeyPrefix: string;
      }
  >;
  readonly chat: Readonly<{
    baseUrl: string;
    apiKey: string;
    model: string;
    contextWindowTokens: number;
    maxOutputTokens: number;
    temperature: number;
    timeoutMs: number;
  }>;
  /** How long a draft job's record (reply written, draft id) is kept (ms). */
  readonly draftRecordTtlMs: number;
}

const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const secret = z.string().min(1, 'is required');

const emailEnvSchema = z
  .object({
    EMAIL_GMAIL_API_URL: httpUrlSchema.default('https://gmail.googleapis.com/'),
    EMAIL_GRAPH_API_URL: httpUrlSchema.default('https://graph.microsoft.com'),
    EMAIL_OUTLOOK_FOLDERS: z
      .string()
      .default('inbox,sentitems')
      .transform((v) => v.split(',').map((f) => f.trim()).filter(Boolean))
      .refine((folders) => folders.length > 0, 'must name at least one folder'),
    EMAIL_TOKEN_URL: httpUrlSchema,
    EMAIL_TOKEN_SECRET: secret,
    EMAIL_SYNC_PAGE_SIZE: int(1, 500).default(100),
    EMAIL_SYNC_FETCH_CONCURRENCY: int(1, 50).default(8),
    EMAIL_SYNC_LOOKBACK_DAYS: int(1, 3650).default(30),
    EMAIL_RESYNC_OVERLAP_MS: int(0, 30 * DAY_MS).default(DAY_MS),
    EMAIL_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
    EMAIL_SINK: z.enum(['redis-stream', 'webhook']).default('redis-stream'),
    EMAIL_STREAM_KEY_PREFIX: z.string().trim().min(1).default('email:messages'),
    EMAIL_STREAM_MAXLEN: int(1000, 100_000_000).default(100_000),
    EMAIL_STREAM_GROUP: z.string().trim().min(1).default('email-app'),
    EMAIL_WEBHOOK_URL: httpUrlSchema.optional(),
    EMAIL_WEBHOOK_SECRET: z.string().regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a Standard Webhooks secret (whsec_ + base64)').optional(),
    EMAIL_WEBHOOK_TIMEOUT_MS: int(1000, 300_000).default(10_000),
    EMAIL_WEBHOOK_MAX_BODY_BYTES: int(64 * 1024, 1024 * 1024 * 1024).default(4 * 1024 * 1024),
    EMAIL_DEDUPE_TTL_MS: int(60_000, 365 * DAY_MS).default(14 * DAY_MS),
    EMAIL_DRAFT_RECORD_TTL_MS: int(60_000, 365 * DAY_MS).default(30 * DAY_MS),
    OPENAI_BASE_URL: httpUrlSchema.default('https://api.openai.com/v1'),
    OPENAI_API_KEY: secret,
    OPENAI_MODEL: z.string().trim().min(1).default('gpt-4o-mini'),
    OPENAI_CONTEXT_WINDOW_TOKENS: int(1024, 10_000_000).default(128_000),
    OPENAI_MAX_OUTPUT_TOKENS: int(16, 100_000).default(800),
    OPENAI_TEMPERATURE: z.coerce.number().min(0).max(2).default(0.4),
    OPENAI_TIMEOUT_MS: int(1000, 600_000).default(60_000),
  })
  .superRefine((e, ctx) => {
    if (e.EMAIL_SINK === 'webhook') {
      if (!e.EMAIL_WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['EMAIL_WEBHOOK_URL'], message: 'is required when EMAIL_SINK=webhook' });
      if (!e.EMAIL_WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['EMAIL_WEBHOOK_SECRET'], message: 'is required when EMAIL_SINK=webhook' });
    }
    if (e.EMAIL_STREAM_MAXLEN < 10 * e.EMAIL_SYNC_PAGE_SIZE) {
      ctx.addIssue({ code: 'custom', path: ['EMAIL_STREAM_MAXLEN'], message: 'must be at least 10 × EMAIL_SYNC_PAGE_SIZE' });
    }
    if (e.OPENAI_MAX_OUTPUT_TOKENS * 2 > e.OPENAI_CONTEXT_WINDOW_TOKENS) {
      ctx.addIssue({ code: 'custom', path: ['OPENAI_MAX_OUTPUT_TOKENS'], message: 'must be at most half of OPENAI_CONTEXT_WINDOW_TOKENS' });
    }
  });

/**
 * Reads the email worker's configuration: the worker kit's variables (see `loadWorkerConfig`)
 * plus the ones below (README's table has them all with meanings).
 *
 * Required: `EMAIL_TOKEN_URL` and `EMAIL_TOKEN_SECRET` (where access tokens come from),
 * `OPENAI_API_KEY`; with `EMAIL_SINK=webhook` also `EMAIL_WEBHOOK_URL` and
 * `EMAIL_WEBHOOK_SECRET`. Everything else has a default: Gmail and Graph production URLs,
 * Outlook folders `inbox,sentitems`, 100 messages per page, 8 downloads at once, 30 days of
 * look-back, 1 day of resync overlap, 30 s per request, the Redis Stream sink
 * (`email:messages:<provider>`, ~100 000 entries, group `email-app`), markers kept 14 days,
 * OpenAI's URL with `gpt-4o-mini`, a 128 000-token window, 800-token replies, temperature 0.4.
 *
 * On a Redis Cluster (`REDIS_CLUSTER_NODES`) with the Redis Stream sink, the stream's repeat
 * markers live in each stream's slot, so `EMAIL_STREAM_KEY_PREFIX` must either hold a hash tag
 * (`{…}`) or no `}` at all (with `EMAIL_SINK=webhook` it is unused and not checked).
 *
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad or missing variable (never their values); in cluster
 *   mode with the Redis Stream sink also for an `EMAIL_STREAM_KEY_PREFIX` with a `}` that forms
 *   no hash tag.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): EmailWorkerConfig {
  return loadAppConfig({ name: 'email-worker', defaults: EMAIL_WORKER_DEFAULTS, envSchema: emailEnvSchema, resolve: resolveEmailConfig }, env);
}

/**
 * The Redis Stream sink's marker prefixes (streamMarkerKeyPrefixes); asked only when that sink is
 * chosen, since the webhook sink writes no stream.
 * @throws ConfigError for a stream prefix with a `}` that forms no hash tag, in cluster mode.
 */
function streamMarkersOrThrow(streamKeyPrefix: string, keyPrefix: string, worker: WorkerConfig): Readonly<Record<EmailProvider, string>> {
  const markerKeyPrefixes = streamMarkerKeyPrefixes({
    cluster: worker.redis.clusterNodes !== undefined,
    keyPrefix,
    namespace: EMAIL_WORKER_KEY_NAMESPACE,
    streamKeyPrefix,
  });
  if (markerKeyPrefixes === null) {
    throw new ConfigError(
      [{ variable: 'EMAIL_STREAM_KEY_PREFIX', kind: 'invalid', message: 'must hold a hash tag ({…}) or no "}" in cluster mode (the repeat markers share each stream\'s slot)' }],
      { source: 'email-worker' },
    );
  }
  return markerKeyPrefixes;
}

function resolveEmailConfig(e: z.output<typeof emailEnvSchema>, worker: WorkerConfig): EmailWorkerConfig {
  const keyPrefix = appKeyPrefix({ redis: worker.redis, prefix: worker.prefix }, QUEUE_NAMES.email, EMAIL_WORKER_KEY_NAMESPACE);
  const sink: EmailWorkerConfig['sink'] =
    e.EMAIL_SINK === 'webhook'
      ? {
          kind: 'webhook',
          url: e.EMAIL_WEBHOOK_URL ?? '',
          secret: e.EMAIL_WEBHOOK_SECRET ?? '',
          markerTtlMs: e.EMAIL_DEDUPE_TTL_MS,
          timeoutMs: e.EMAIL_WEBHOOK_TIMEOUT_MS,
          maxBodyBytes: e.EMAIL_WEBHOOK_MAX_BODY_BYTES,
          markerKeyPrefix: `${keyPrefix}:sent:`,
        }
      : {
          kind: 'redis-stream',
          streamKeyPrefix: e.EMAIL_STREAM_KEY_PREFIX,
          maxLen: e.EMAIL_STREAM_MAXLEN,
          group: e.EMAIL_STREAM_GROUP,
          markerTtlMs: e.EMAIL_DEDUPE_TTL_MS,
          markerKeyPrefixes: streamMarkersOrThrow(e.EMAIL_STREAM_KEY_PREFIX, keyPrefix, worker),
        };
  return Object.freeze({
    worker,
    keyPrefix,
    gmail: Object.freeze({ rootUrl: e.EMAIL_GMAIL_API_URL.endsWith('/') ? e.EMAIL_GMAIL_API_URL : `${e.EMAIL_GMAIL_API_URL}/` }),
    graph: Object.freeze({ baseUrl: e.EMAIL_GRAPH_API_URL.replace(/\/+$/, ''), folders: Object.freeze(e.EMAIL_OUTLOOK_FOLDERS) }),
    tokens: Object.freeze({ url: e.EMAIL_TOKEN_URL, secret: e.EMAIL_TOKEN_SECRET }),
    sync: Object.freeze({
      pageSize: e.EMAIL_SYNC_PAGE_SIZE,
      fetchConcurrency: e.EMAIL_SYNC_FETCH_CONCURRENCY,
      lookbackMs: e.EMAIL_SYNC_LOOKBACK_DAYS * DAY_MS,
      resyncOverlapMs: e.EMAIL_RESYNC_OVERLAP_MS,
      requestTimeoutMs: e.EMAIL_REQUEST_TIMEOUT_MS,
    }),
    sink: Object.freeze(sink),
    chat: Object.freeze({
      baseUrl: e.OPENAI_BASE_URL,
      apiKey: e.OPENAI_API_KEY,
      model: e.OPENAI_MODEL,
      contextWindowTokens: e.OPENAI_CONTEXT_WINDOW_TOKENS,
      maxOutputTokens: e.OPENAI_MAX_OUTPUT_TOKENS,
      temperature: e.OPENAI_TEMPERATURE,
      timeoutMs: e.OPENAI_TIMEOUT_MS,
    }),
    draftRecordTtlMs: e.EMAIL_DRAFT_RECORD_TTL_MS,
  });
}
