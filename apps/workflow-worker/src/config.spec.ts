import { ConfigError } from '@jobs/worker-kit';
import { loadConfig, WORKFLOW_WORKER_DEFAULTS } from './config';

describe('loadConfig (workflow)', () => {
  it('uses the documented defaults: concurrency 5, 20 jobs/s, port 9104, the spec guards', () => {
    const config = loadConfig({});
    expect(WORKFLOW_WORKER_DEFAULTS).toEqual({ concurrency: 5, maxJobsPerSecond: 20, healthPort: 9104 });
    expect(config.worker).toMatchObject({ concurrency: 5, limiter: { max: 20, durationMs: 1000 }, health: { port: 9104 } });
    expect(config.limits).toEqual({ maxExecutedSteps: 500, maxRunAgeMs: 30 * 86_400_000 });
    expect(config.recordTtlMs).toBe(30 * 86_400_000);
    expect(config.httpAllowPrivateNetworks).toBe(false);
  });

  it('reads the guards and names every bad variable', () => {
    const config = loadConfig({ WORKFLOW_MAX_EXECUTED_STEPS: '50', WORKFLOW_MAX_RUN_AGE_MS: '3600000', WORKFLOW_HTTP_ALLOW_PRIVATE_NETWORKS: 'true' });
    expect(config.limits).toEqual({ maxExecutedSteps: 50, maxRunAgeMs: 3_600_000 });
    expect(config.httpAllowPrivateNetworks).toBe(true);
    let err: unknown;
    try {
      loadConfig({ WORKFLOW_MAX_EXECUTED_STEPS: '0', WORKFLOW_MAX_RUN_AGE_MS: 'soon', WORKFLOW_RUN_RECORD_TTL_MS: '5' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    for (const name of ['WORKFLOW_MAX_EXECUTED_STEPS', 'WORKFLOW_MAX_RUN_AGE_MS', 'WORKFLOW_RUN_RECORD_TTL_MS']) expect((err as Error).message).toContain(name);
  });
});
