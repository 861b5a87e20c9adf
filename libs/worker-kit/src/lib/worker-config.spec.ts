import { ConfigError } from './config-error';
import { DEFAULT_JOB_TIMEOUT_MS, DEFAULT_MAX_STALLED_COUNT, loadWorkerConfig } from './worker-config';

const defaults = { concurrency: 5, maxJobsPerSecond: 10, healthPort: 9101 };

describe('loadWorkerConfig: job timeout', () => {
  it('is 15 minutes where neither the app nor the environment sets one', () => {
    expect(DEFAULT_JOB_TIMEOUT_MS).toBe(900_000);
    expect(loadWorkerConfig(defaults, {}).jobTimeoutMs).toBe(900_000);
  });

  it("takes the app's own default over the kit's, and WORKER_JOB_TIMEOUT_MS over both", () => {
    expect(loadWorkerConfig({ ...defaults, jobTimeoutMs: 3_600_000 }, {}).jobTimeoutMs).toBe(3_600_000);
    expect(loadWorkerConfig({ ...defaults, jobTimeoutMs: 3_600_000 }, { WORKER_JOB_TIMEOUT_MS: '5000' }).jobTimeoutMs).toBe(5000);
  });

  it('refuses a value that is not a whole number of ms from 100 up', () => {
    expect(() => loadWorkerConfig(defaults, { WORKER_JOB_TIMEOUT_MS: '50' })).toThrow(ConfigError);
    expect(() => loadWorkerConfig(defaults, { WORKER_JOB_TIMEOUT_MS: 'soon' })).toThrow(/WORKER_JOB_TIMEOUT_MS/);
  });
});

describe('loadWorkerConfig: shutdown grace and force', () => {
  it('gives running jobs 80 % of SHUTDOWN_TIMEOUT_MS when SHUTDOWN_GRACE_MS is unset', () => {
    expect(loadWorkerConfig(defaults, {})).toMatchObject({ shutdownGraceMs: 24_000, shutdownForceMs: 30_000, shutdownTimeoutMs: 30_000 });
    expect(loadWorkerConfig(defaults, { SHUTDOWN_TIMEOUT_MS: '2000' })).toMatchObject({ shutdownGraceMs: 1600, shutdownForceMs: 2000 });
  });

  it('takes SHUTDOWN_GRACE_MS as the grace, and refuses one that is not below the force deadline', () => {
    expect(loadWorkerConfig(defaults, { SHUTDOWN_GRACE_MS: '500', SHUTDOWN_TIMEOUT_MS: '5000' })).toMatchObject({ shutdownGraceMs: 500, shutdownForceMs: 5000 });
    for (const grace of ['5000', '9000']) {
      const error = (() => {
        try {
          loadWorkerConfig(defaults, { SHUTDOWN_GRACE_MS: grace, SHUTDOWN_TIMEOUT_MS: '5000' });
        } catch (err) {
          return err;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems).toEqual([{ variable: 'SHUTDOWN_GRACE_MS', kind: 'invalid', message: 'must be less than SHUTDOWN_TIMEOUT_MS' }]);
    }
  });
});

describe('loadWorkerConfig: max stalled count', () => {
  it("is BullMQ's 1 where neither the app nor the environment sets one", () => {
    expect(DEFAULT_MAX_STALLED_COUNT).toBe(1);
    expect(loadWorkerConfig(defaults, {}).maxStalledCount).toBe(1);
  });

  it("takes the app's own default over the kit's, and WORKER_MAX_STALLED_COUNT over both (0 allowed)", () => {
    expect(loadWorkerConfig({ ...defaults, maxStalledCount: 20 }, {}).maxStalledCount).toBe(20);
    expect(loadWorkerConfig({ ...defaults, maxStalledCount: 20 }, { WORKER_MAX_STALLED_COUNT: '3' }).maxStalledCount).toBe(3);
    expect(loadWorkerConfig(defaults, { WORKER_MAX_STALLED_COUNT: '0' }).maxStalledCount).toBe(0);
  });

  it('refuses a negative or non-integer count', () => {
    expect(() => loadWorkerConfig(defaults, { WORKER_MAX_STALLED_COUNT: '-1' })).toThrow(/WORKER_MAX_STALLED_COUNT/);
    expect(() => loadWorkerConfig(defaults, { WORKER_MAX_STALLED_COUNT: 'many' })).toThrow(ConfigError);
  });
});

describe('loadWorkerConfig: cluster mode', () => {
  it('refuses a BULLMQ_PREFIX with braces when REDIS_CLUSTER_NODES is set (a configuration error, exit 2), and allows it on a standalone Redis', () => {
    const cluster = { REDIS_CLUSTER_NODES: '127.0.0.1:7001,127.0.0.1:7002', BULLMQ_PREFIX: '{jobs}' };
    expect(() => loadWorkerConfig(defaults, cluster)).toThrow(ConfigError);
    expect(() => loadWorkerConfig(defaults, cluster)).toThrow(/BULLMQ_PREFIX/);
    expect(loadWorkerConfig(defaults, { REDIS_CLUSTER_NODES: '127.0.0.1:7001', BULLMQ_PREFIX: 'jobs' }).prefix).toBe('jobs');
    expect(loadWorkerConfig(defaults, { BULLMQ_PREFIX: '{jobs}' }).prefix).toBe('{jobs}');
  });
});
