import { redisSettingsFromEnv } from '@jobs/queue-contracts';
import { dashboardKeyPrefix } from './dashboard-key-prefix';

describe('dashboardKeyPrefix', () => {
  const standalone = redisSettingsFromEnv({ REDIS_URL: 'redis://127.0.0.1:6379' });
  const cluster = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001' });

  it('keeps the standalone prefix the markers always had', () => {
    expect(dashboardKeyPrefix({ redis: standalone, prefix: 'bull' })).toBe('bull:dashboard');
    expect(dashboardKeyPrefix({ redis: standalone })).toBe('bull:dashboard');
  });

  it('puts every dashboard key under the {workflow} hash tag on a cluster', () => {
    expect(dashboardKeyPrefix({ redis: cluster, prefix: 'staging' })).toBe('staging:{workflow}:dashboard');
  });

  it('refuses a braced prefix on a cluster (loadConfig refuses it first)', () => {
    expect(() => dashboardKeyPrefix({ redis: cluster, prefix: 'a{b}' })).toThrow(RangeError);
  });
});
