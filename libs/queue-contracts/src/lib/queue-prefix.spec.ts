import { clusterOptions } from './bullmq-connection';
import { appKeyPrefix, queuePrefix, QUEUE_SLOT_GROUPS } from './queue-prefix';
import { ALL_QUEUE_NAMES } from './queue-names';
import { redisSettingsFromEnv } from './redis-env';

const standalone = redisSettingsFromEnv({});
const cluster = redisSettingsFromEnv({ REDIS_CLUSTER_NODES: '127.0.0.1:7000' });

describe('queuePrefix', () => {
  it('keeps the plain prefix on a standalone Redis (no key migration)', () => {
    for (const queue of ALL_QUEUE_NAMES) {
      expect(queuePrefix({ redis: standalone }, queue)).toBe('bull');
      expect(queuePrefix({ redis: standalone, prefix: 'acme' }, queue)).toBe('acme');
    }
  });

  it('adds the group hash tag in cluster mode: the flow queues share one, seo and ads have their own', () => {
    expect(ALL_QUEUE_NAMES.map((q) => queuePrefix({ redis: cluster, prefix: 'acme' }, q))).toEqual([
      'acme:{workflow}',
      'acme:{workflow}',
      'acme:{workflow}',
      'acme:{workflow}',
      'acme:{seo-audit}',
      'acme:{ads}',
    ]);
    expect(new Set(Object.values(QUEUE_SLOT_GROUPS)).size).toBe(3);
  });

  it('refuses a configured prefix that already holds a hash tag in cluster mode', () => {
    expect(() => queuePrefix({ redis: cluster, prefix: '{mine}' }, 'email')).toThrow(/hash tag/);
  });
});

describe('appKeyPrefix', () => {
  it('is <prefix>:<namespace> on a standalone Redis, where the apps kept their keys', () => {
    expect(appKeyPrefix({ redis: standalone }, 'email', 'email-worker')).toBe('bull:email-worker');
    expect(appKeyPrefix({ redis: standalone, prefix: 'acme' }, 'ads', 'ads-worker')).toBe('acme:ads-worker');
  });

  it("puts an app's keys in its queue's slot group in cluster mode", () => {
    expect(appKeyPrefix({ redis: cluster, prefix: 'acme' }, 'email', 'email-worker')).toBe('acme:{workflow}:email-worker');
    expect(appKeyPrefix({ redis: cluster }, 'ads', 'ads-worker')).toBe('bull:{ads}:ads-worker');
    expect(appKeyPrefix({ redis: cluster }, 'seo', 'seo-worker')).toBe('bull:{seo-audit}:seo-worker');
  });

  it('refuses a namespace that would change the slot or the key layout', () => {
    for (const bad of ['', 'a:b', '{x}', 'x}']) expect(() => appKeyPrefix({ redis: cluster }, 'email', bad)).toThrow(RangeError);
  });
});

describe('clusterOptions', () => {
  it('gives each node the role options and producers a cluster that fails fast while offline', () => {
    const worker = clusterOptions(cluster, 'worker');
    expect(worker.redisOptions).toMatchObject({ maxRetriesPerRequest: null });
    expect(worker.redisOptions).not.toHaveProperty('host');
    expect(worker).toMatchObject({ enableReadyCheck: true, enableOfflineQueue: true });
    const producer = clusterOptions(cluster, 'producer');
    expect(producer.redisOptions).toMatchObject({ enableOfflineQueue: false });
    expect(producer.enableOfflineQueue).toBe(false);
  });
});
