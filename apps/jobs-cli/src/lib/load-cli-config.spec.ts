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

  it('refuses a Redis Cluster (REDIS_CLUSTER_NODES) with exit 2: its listing and retry use plain prefixes', () => {
    const load = () => loadCliConfig({}, { REDIS_CLUSTER_NODES: '127.0.0.1:7001,127.0.0.1:7002' });
    expect(load).toThrow(CliError);
    expect(load).toThrow(/REDIS_CLUSTER_NODES: jobs-cli does not run on a Redis Cluster yet/);
  });
});
