import { ConfigError } from '@jobs/worker-kit';
import { ENRICHMENT_WORKER_DEFAULTS, loadConfig } from './config';

describe('loadConfig (enrichment)', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({ APIFY_TOKEN: 'apify_api_x', APIFY_ACTOR_ID: 'me~enricher' });
    expect(ENRICHMENT_WORKER_DEFAULTS).toEqual({ concurrency: 2, maxJobsPerSecond: 10, healthPort: 9103, jobTimeoutMs: 14_400_000 });
    // A 10 000-lead job outlives the kit's 15-minute default; the app's own default applies.
    expect(config.worker).toMatchObject({ concurrency: 2, health: { port: 9103 }, jobTimeoutMs: 14_400_000 });
    expect(loadConfig({ APIFY_TOKEN: 'apify_api_x', APIFY_ACTOR_ID: 'me~enricher', WORKER_JOB_TIMEOUT_MS: '60000' }).worker.jobTimeoutMs).toBe(60_000);
    expect(config.apify).toMatchObject({ baseUrl: 'https://api.apify.com', maxCallsPerSecond: 10, readRetries: 3, rateLimitPauseMs: 1000 });
    expect(config).toMatchObject({ runTimeoutSecs: 300, runMemoryMbytes: null });
  });

  it("puts the worker's own keys under its queue's prefix: unchanged on a standalone Redis, in the {workflow} slot group on a cluster", () => {
    const base = { APIFY_TOKEN: 'apify_api_x', APIFY_ACTOR_ID: 'me~enricher' };
    expect(loadConfig(base).keyPrefix).toBe('bull:enrichment-worker');
    expect(loadConfig({ ...base, BULLMQ_PREFIX: 'jobs' }).keyPrefix).toBe('jobs:enrichment-worker');
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' }).keyPrefix).toBe('bull:{workflow}:enrichment-worker');
    expect(loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7000', BULLMQ_PREFIX: 'jobs' }).keyPrefix).toBe('jobs:{workflow}:enrichment-worker');
  });

  it('names every missing or bad variable, never the token', () => {
    expect(() => loadConfig({ ENRICHMENT_MAX_API_CALLS_PER_SECOND: '0' })).toThrow(ConfigError);
    try {
      loadConfig({ ENRICHMENT_MAX_API_CALLS_PER_SECOND: '0', APIFY_TOKEN: '' });
    } catch (err) {
      for (const name of ['APIFY_TOKEN', 'APIFY_ACTOR_ID', 'ENRICHMENT_MAX_API_CALLS_PER_SECOND']) expect((err as Error).message).toContain(name);
    }
  });
});

describe('loadConfig with an empty environment (enrichment)', () => {
  it('states each required variable as missing, in one line', () => {
    let err: unknown;
    try {
      loadConfig({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.problems).toEqual(['APIFY_TOKEN', 'APIFY_ACTOR_ID'].map((variable) => ({ variable, kind: 'missing', message: 'is required' })));
    expect(error.message).toBe('enrichment-worker: missing APIFY_TOKEN, APIFY_ACTOR_ID');
  });

  it('lists missing and invalid variables apart, worker-kit ones included', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'abc', HEALTH_PORT: '70000' })).toThrow(
      'enrichment-worker: missing APIFY_TOKEN, APIFY_ACTOR_ID; invalid WORKER_CONCURRENCY: must be a number; invalid HEALTH_PORT: must be ≤ 65535',
    );
  });
});
