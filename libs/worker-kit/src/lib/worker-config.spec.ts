import { ConfigError } from './config-error';
import { DEFAULT_JOB_TIMEOUT_MS, loadWorkerConfig } from './worker-config';

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
