import { ConfigError } from '@jobs/worker-kit';
import { loadConfig, VOICE_WORKER_DEFAULTS } from './config';

const required = { VAPI_API_KEY: 'vapi-key', VAPI_PHONE_NUMBER_ID: 'pn-1' };

describe('loadConfig (voice)', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig(required);
    expect(VOICE_WORKER_DEFAULTS).toEqual({ concurrency: 3, maxJobsPerSecond: 5, healthPort: 9102 });
    expect(config.worker).toMatchObject({ concurrency: 3, limiter: { max: 5 }, health: { port: 9102 } });
    expect(config.callingWindow).toEqual({ startMinute: 540, endMinute: 1200, days: new Set([1, 2, 3, 4, 5]) });
    expect(config).toMatchObject({ defaultTimeZone: 'UTC', pollIntervalMs: 30_000, webhook: null, vapi: { baseUrl: 'https://api.vapi.ai' } });
  });

  it("keeps the worker's keys where they were on a standalone Redis, and in the voice queue's slot group on a cluster", () => {
    expect(loadConfig(required).keyPrefix).toBe('bull:voice-worker');
    expect(loadConfig({ ...required, BULLMQ_PREFIX: 'acme' }).keyPrefix).toBe('acme:voice-worker');
    expect(loadConfig({ ...required, REDIS_CLUSTER_NODES: '127.0.0.1:7000' }).keyPrefix).toBe('bull:{workflow}:voice-worker');
    expect(loadConfig({ ...required, REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: 'acme' }).keyPrefix).toBe('acme:{workflow}:voice-worker');
  });

  it('reads calling hours and days, and names every bad variable', () => {
    const config = loadConfig({ ...required, VOICE_CALLING_HOURS: '08:30-18:00', VOICE_CALLING_DAYS: 'sat-mon,wed' });
    expect(config.callingWindow).toEqual({ startMinute: 510, endMinute: 1080, days: new Set([6, 0, 1, 3]) });
    let err: unknown;
    try {
      loadConfig({ VOICE_CALLING_HOURS: '9-5', VOICE_CALLING_DAYS: 'someday', VOICE_DEFAULT_TIME_ZONE: 'Mars/Olympus', VOICE_WEBHOOK_SECRET: 'long-enough-secret-123' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ['VAPI_API_KEY', 'VAPI_PHONE_NUMBER_ID', 'VOICE_CALLING_HOURS', 'VOICE_CALLING_DAYS', 'VOICE_DEFAULT_TIME_ZONE']) {
      expect((err as Error).message).toContain(name);
    }
    expect((err as Error).message).not.toContain('long-enough-secret-123');
    expect(() => loadConfig({ ...required, VOICE_CALLING_DAYS: ',' })).toThrow(/VOICE_CALLING_DAYS: must name at least one day/);
    expect(() => loadConfig({ ...required, VOICE_CALLING_DAYS: 'mon-fri-sun' })).toThrow(/VOICE_CALLING_DAYS/);
    expect(() => loadConfig({ ...required, VOICE_CALLING_HOURS: '09:00-24:30' })).toThrow(/VOICE_CALLING_HOURS/);
    expect(() => loadConfig({ ...required, VOICE_WEBHOOK_SECRET: 'long-enough-secret-123' })).toThrow('voice-worker: missing VOICE_WEBHOOK_PUBLIC_URL (required with VOICE_WEBHOOK_SECRET: the URL Vapi posts to)');
  });
});

describe('loadConfig with an empty environment (voice)', () => {
  it('states each required variable as missing, in one line', () => {
    let err: unknown;
    try {
      loadConfig({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.problems).toEqual(['VAPI_API_KEY', 'VAPI_PHONE_NUMBER_ID'].map((variable) => ({ variable, kind: 'missing', message: 'is required' })));
    expect(error.message).toBe('voice-worker: missing VAPI_API_KEY, VAPI_PHONE_NUMBER_ID');
  });

  it('lists missing and invalid variables apart, worker-kit ones included', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'abc', HEALTH_PORT: '70000' })).toThrow(
      'voice-worker: missing VAPI_API_KEY, VAPI_PHONE_NUMBER_ID; invalid WORKER_CONCURRENCY: must be a number; invalid HEALTH_PORT: must be ≤ 65535',
    );
  });
});
