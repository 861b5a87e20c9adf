import { z } from 'zod';
import { appKeyPrefix, httpUrlSchema, QUEUE_NAMES } from '@jobs/queue-contracts';
import { loadAppConfig, type WorkerConfig } from '@jobs/worker-kit';
import type { CallingWindow } from './lib/calling-window';

/**
 * Defaults of the voice worker, from DESIGN.md's table: concurrency 3, 5 jobs/s, health port
 * 9102. A slot is held only while a step runs (placing, or reading a call's state), never for
 * a call's length, so three slots follow any number of calls.
 */
export const VOICE_WORKER_DEFAULTS = Object.freeze({ concurrency: 3, maxJobsPerSecond: 5, healthPort: 9102 });

/** The voice worker's resolved configuration. */
export interface VoiceWorkerConfig {
  readonly worker: WorkerConfig;
  /**
   * Prefix of the worker's own keys (call records, placing locks): `<prefix>:voice-worker` on a
   * standalone Redis (where they always were), `<prefix>:{workflow}:voice-worker` on a cluster,
   * so they share the voice queue's slot (`appKeyPrefix`).
   */
  readonly keyPrefix: string;
  readonly vapi: Readonly<{ baseUrl: string; apiKey: string; phoneNumberId: string; timeoutMs: number }>;
  readonly callingWindow: CallingWindow;
  readonly defaultTimeZone: string;
  readonly pollIntervalMs: number;
  readonly maxCallDurationMs: number;
  /** Null when the receiver is off (no VOICE_WEBHOOK_SECRET). */
  readonly webhook: Readonly<{ host: string; port: number; publicUrl: string; secret: string }> | null;
  readonly callRecordTtlMs: number;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const hoursSchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must look like 09:00-20:00 (end at most 24:00)')
  .transform((v) => {
    const [start, end] = v.split('-').map((t) => {
      const [h, m] = (t as string).split(':').map(Number);
      return (h as number) * 60 + (m as number);
    }) as [number, number];
    return { start, end };
  })
  .refine((v) => v.start < v.end, 'must start before it ends');

const daysSchema = z
  .string()
  .transform((v) => v.toLowerCase().split(',').map((d) => d.trim()).filter(Boolean))
  .transform((list, ctx) => {
    const days = new Set<number>();
    if (list.length === 0) {
      ctx.addIssue({ code: 'custom', message: 'must name at least one day' });
      return z.NEVER;
    }
    for (const item of list) {
      const range = item.split('-');
      if (range.length > 2) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not a day or a range of two days` });
        return z.NEVER;
      }
      const from = DAYS.indexOf(range[0] ?? '');
      const to = DAYS.indexOf(range[1] ?? range[0] ?? '');
      if (from < 0 || to < 0) {
        ctx.addIssue({ code: 'custom', message: `"${item}" is not a day or a range of days (mon, tue-fri …)` });
        return z.NEVER;
      }
      for (let d = from; ; d = (d + 1) % 7) {
        days.add(d);
        if (d === to) break;
      }
    }
    return days;
  });

const voiceEnvSchema = z
  .object({
    VAPI_BASE_URL: httpUrlSchema.default('https://api.vapi.ai'),
    VAPI_API_KEY: z.string().min(1, 'is required'),
    VAPI_PHONE_NUMBER_ID: z.string().trim().min(1, 'is required'),
    VAPI_TIMEOUT_MS: int(1000, 300_000).default(30_000),
    VOICE_CALLING_HOURS: hoursSchema.default({ start: 540, end: 1200 }),
    VOICE_CALLING_DAYS: daysSchema.default(new Set([1, 2, 3, 4, 5])),
    VOICE_DEFAULT_TIME_ZONE: z
      .string()
      .default('UTC')
      .refine((zone) => {
        try {
          new Intl.DateTimeFormat('en-US', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      }, 'must be an IANA time zone, e.g. Europe/Berlin'),
    VOICE_POLL_INTERVAL_MS: int(1000, 3_600_000).default(30_000),
    VOICE_MAX_CALL_DURATION_MS: int(60_000, 86_400_000).default(2 * 3_600_000),
    VOICE_WEBHOOK_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
    VOICE_WEBHOOK_PUBLIC_URL: httpUrlSchema.optional(),
    VOICE_WEBHOOK_HOST: z.string().trim().min(1).default('0.0.0.0'),
    VOICE_WEBHOOK_PORT: int(0, 65535).default(9112),
    VOICE_CALL_RECORD_TTL_MS: int(3_600_000, 365 * 86_400_000).default(30 * 86_400_000),
  })
  .superRefine((e, ctx) => {
    if (e.VOICE_WEBHOOK_SECRET && !e.VOICE_WEBHOOK_PUBLIC_URL) {
      ctx.addIssue({ code: 'custom', path: ['VOICE_WEBHOOK_PUBLIC_URL'], message: 'is required with VOICE_WEBHOOK_SECRET: the URL Vapi posts to' });
    }
  });

/**
 * Reads the voice worker's configuration: the worker kit's variables plus `VAPI_API_KEY` and
 * `VAPI_PHONE_NUMBER_ID` (required), `VAPI_BASE_URL` (https://api.vapi.ai), `VAPI_TIMEOUT_MS`
 * (30000), `VOICE_CALLING_HOURS` (09:00-20:00, callee's local time), `VOICE_CALLING_DAYS`
 * (mon-fri), `VOICE_DEFAULT_TIME_ZONE` (UTC, for numbers without a zone), `VOICE_POLL_INTERVAL_MS`
 * (30000), `VOICE_MAX_CALL_DURATION_MS` (2 h), the webhook receiver (`VOICE_WEBHOOK_SECRET` turns
 * it on and needs `VOICE_WEBHOOK_PUBLIC_URL`; `VOICE_WEBHOOK_HOST` 0.0.0.0, `VOICE_WEBHOOK_PORT`
 * 9112) and `VOICE_CALL_RECORD_TTL_MS` (30 d).
 * @param env - defaults to `process.env`.
 * @throws ConfigError naming every bad or missing variable.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VoiceWorkerConfig {
  return loadAppConfig({ name: 'voice-worker', defaults: VOICE_WORKER_DEFAULTS, envSchema: voiceEnvSchema, resolve: resolveVoiceConfig }, env);
}

function resolveVoiceConfig(e: z.output<typeof voiceEnvSchema>, worker: WorkerConfig): VoiceWorkerConfig {
  return Object.freeze({
    worker,
    keyPrefix: appKeyPrefix({ redis: worker.redis, prefix: worker.prefix }, QUEUE_NAMES.voice, 'voice-worker'),
    vapi: Object.freeze({ baseUrl: e.VAPI_BASE_URL, apiKey: e.VAPI_API_KEY, phoneNumberId: e.VAPI_PHONE_NUMBER_ID, timeoutMs: e.VAPI_TIMEOUT_MS }),
    callingWindow: Object.freeze({ startMinute: e.VOICE_CALLING_HOURS.start, endMinute: e.VOICE_CALLING_HOURS.end, days: e.VOICE_CALLING_DAYS }),
    defaultTimeZone: e.VOICE_DEFAULT_TIME_ZONE,
    pollIntervalMs: e.VOICE_POLL_INTERVAL_MS,
    maxCallDurationMs: e.VOICE_MAX_CALL_DURATION_MS,
    webhook:
      e.VOICE_WEBHOOK_SECRET && e.VOICE_WEBHOOK_PUBLIC_URL
        ? Object.freeze({ host: e.VOICE_WEBHOOK_HOST, port: e.VOICE_WEBHOOK_PORT, publicUrl: e.VOICE_WEBHOOK_PUBLIC_URL, secret: e.VOICE_WEBHOOK_SECRET })
        : null,
    callRecordTtlMs: e.VOICE_CALL_RECORD_TTL_MS,
  });
}
