import { hostToolEnv } from './stage-variables';

describe('hostToolEnv', () => {
  it("lends PATH, HOME and the host's network set-up (CA file, proxies, npm's registry settings), and nothing else", () => {
    const lent = {
      PATH: '/opt/node24/bin:/usr/bin',
      HOME: '/home/ci',
      NODE_EXTRA_CA_CERTS: '/etc/ssl/certs/ca-certificates.crt',
      HTTPS_PROXY: 'http://proxy.internal:3128',
      no_proxy: '127.0.0.1,localhost',
      npm_config_registry: 'https://npm.internal/',
    };
    const kept = {
      REDIS_URL: 'redis://secret@127.0.0.1:6379',
      BULLMQ_PREFIX: 'host-prefix',
      NODE_OPTIONS: '--inspect',
      CI: 'true',
      // npm settings that change what is installed, not how the registry is reached.
      npm_config_omit: 'optional',
      npm_config_ignore_scripts: 'true',
      npm_config_local_prefix: '/work/main',
    };
    expect(hostToolEnv({ ...lent, ...kept })).toEqual(lent);
  });

  it('gives a default PATH and no HOME when the host has none', () => {
    expect(hostToolEnv({})).toEqual({ PATH: '/usr/bin:/bin' });
  });
});
