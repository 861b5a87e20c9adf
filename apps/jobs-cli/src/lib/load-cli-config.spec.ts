import { CliError } from './cli-error';
import { loadCliConfig } from './load-cli-config';

describe('loadCliConfig', () => {
  it('reads REDIS_URL and BULLMQ_PREFIX; flags win; the description has no credentials', () => {
    const env = { REDIS_URL: 'redis://u:secret-pw@db.internal:6380/2', BULLMQ_PREFIX: 'prod' };
    expect(loadCliConfig({}, env)).toMatchObject({ prefix: 'prod', redisDescription: 'redis://db.internal:6380/2', redis: { password: 'secret-pw' } });
    expect(loadCliConfig({ redisUrl: 'redis://127.0.0.1:7000', prefix: 'staging' }, env)).toMatchObject({
      prefix: 'staging',
      redisDescription: 'redis://127.0.0.1:7000/0',
    });
    expect(loadCliConfig({}, { REDIS_HOST: 'r1', REDIS_PORT: '6390' })).toMatchObject({ prefix: 'bull', redisDescription: 'redis://r1:6390/0' });
  });

  it('names the flag (or variable) of a bad value, exit 2', () => {
    const fromFlag = () => loadCliConfig({ prefix: 'a:b' }, {});
    expect(fromFlag).toThrow(CliError);
    expect(fromFlag).toThrow('invalid Redis configuration: --prefix: must not contain ":"');
    expect(() => loadCliConfig({}, { REDIS_URL: 'http://x' })).toThrow('REDIS_URL: must be a redis:// or rediss:// URL');
    try {
      loadCliConfig({ redisUrl: 'nope' }, {});
    } catch (err) {
      expect((err as CliError).exitCode).toBe(2);
    }
    expect.assertions(4);
  });

  it('takes a Redis Cluster (REDIS_CLUSTER_NODES), described without credentials', () => {
    const config = loadCliConfig({}, { REDIS_CLUSTER_NODES: '127.0.0.1:7001, 127.0.0.1:7002', REDIS_PASSWORD: 'secret-pw' });
    expect(config).toMatchObject({ prefix: 'bull', redis: { clusterNodes: [{ host: '127.0.0.1', port: 7001 }, { host: '127.0.0.1', port: 7002 }] } });
    expect(config.redisDescription).toMatch(/^redis-cluster:\/\/127\.0\.0\.1:7001,127\.0\.0\.1:7002/);
    expect(config.redisDescription).not.toContain('secret-pw');
    expect(loadCliConfig({ prefix: 'staging' }, { REDIS_CLUSTER_NODES: '127.0.0.1:7001' }).prefix).toBe('staging');
  });

  it('refuses, exit 2, a braced prefix on a cluster (naming the flag or variable) and --redis-url beside REDIS_CLUSTER_NODES', () => {
    const cluster = { REDIS_CLUSTER_NODES: '127.0.0.1:7001' };
    const exitOf = (load: () => unknown) => {
      try {
        load();
      } catch (err) {
        return [(err as CliError).exitCode, (err as Error).message];
      }
      return [0, ''];
    };
    expect(exitOf(() => loadCliConfig({ prefix: '{mine}' }, cluster))).toEqual([2, 'invalid Redis configuration: --prefix: must not contain { or } with REDIS_CLUSTER_NODES (a hash tag is added per queue group)']);
    expect(exitOf(() => loadCliConfig({}, { ...cluster, BULLMQ_PREFIX: 'a}b' }))).toEqual([2, expect.stringContaining('BULLMQ_PREFIX: must not contain { or }')]);
    // A braced prefix on a standalone Redis is as before: allowed.
    expect(loadCliConfig({ prefix: '{mine}' }, {}).prefix).toBe('{mine}');
    expect(exitOf(() => loadCliConfig({ redisUrl: 'redis://127.0.0.1:6379' }, cluster))).toEqual([
      2,
      'invalid Redis configuration: REDIS_CLUSTER_NODES: set either REDIS_CLUSTER_NODES (a cluster) or --redis-url (one server), not both',
    ]);
    // From the environment, the variable is named.
    expect(exitOf(() => loadCliConfig({}, { ...cluster, REDIS_URL: 'redis://127.0.0.1:6379' }))).toEqual([
      2,
      'invalid Redis configuration: REDIS_CLUSTER_NODES: set either REDIS_CLUSTER_NODES (a cluster) or REDIS_URL (one server), not both',
    ]);
  });
});
