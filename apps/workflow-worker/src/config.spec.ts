import { ConfigError } from '@jobs/worker-kit';
import { loadConfig, WORKFLOW_WORKER_DEFAULTS } from './config';

describe('loadConfig (workflow)', () => {
  it('uses the documented defaults: concurrency 5, 20 jobs/s, port 9104, the spec guards', () => {
    const config = loadConfig({});
    expect(WORKFLOW_WORKER_DEFAULTS).toEqual({ concurrency: 5, maxJobsPerSecond: 20, healthPort: 9104, maxStalledCount: 20 });
    expect(config.worker).toMatchObject({ concurrency: 5, limiter: { max: 20, durationMs: 1000 }, health: { port: 9104 }, maxStalledCount: 20 });
    expect(config.maxRunRecordBytes).toBe(4 * 1024 * 1024);
    expect(config.limits).toEqual({ maxExecutedSteps: 500, maxRunAgeMs: 30 * 86_400_000 });
    expect(config.recordTtlMs).toBe(30 * 86_400_000);
    expect(config.httpAllowPrivateNetworks).toBe(false);
  });

  it('reads the guards and names every bad variable', () => {
    const config = loadConfig({ WORKFLOW_MAX_EXECUTED_STEPS: '50', WORKFLOW_MAX_RUN_AGE_MS: '3600000', WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(config.limits).toEqual({ maxExecutedSteps: 50, maxRunAgeMs: 3_600_000 });
    expect(config.httpAllowPrivateNetworks).toBe(true);
    expect(loadConfig({ WORKER_MAX_STALLED_COUNT: '2', WORKFLOW_MAX_RUN_RECORD_BYTES: '1000000' })).toMatchObject({ worker: { maxStalledCount: 2 }, maxRunRecordBytes: 1_000_000 });
    let err: unknown;
    try {
      loadConfig({ WORKFLOW_MAX_EXECUTED_STEPS: '0', WORKFLOW_MAX_RUN_AGE_MS: 'soon', WORKFLOW_RUN_RECORD_TTL_MS: '5', WORKFLOW_MAX_RUN_RECORD_BYTES: '1000' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ['WORKFLOW_MAX_EXECUTED_STEPS', 'WORKFLOW_MAX_RUN_AGE_MS', 'WORKFLOW_RUN_RECORD_TTL_MS', 'WORKFLOW_MAX_RUN_RECORD_BYTES']) expect((err as Error).message).toContain(name);
  });
});
