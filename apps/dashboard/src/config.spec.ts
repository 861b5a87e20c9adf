import { createHash } from 'node:crypto';
import { ConfigError } from '@jobs/worker-kit';
import { loadConfig } from './config';

const SECRET = 's'.repeat(32);
const TOKEN_HASH = createHash('sha256').update('a-token').digest('hex');
const PASSWORD_HASH = 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U=';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err.problems.map((p) => `${p.kind} ${p.variable}`);
    throw err;
  }
  return [];
}

describe('dashboard loadConfig', () => {
  it('applies the defaults and freezes the result', () => {
    const config = loadConfig({ DASHBOARD_SESSION_SECRET: SECRET, DASHBOARD_ADMIN_TOKEN_SHA256: TOKEN_HASH });
    expect(config).toMatchObject({
      prefix: 'bull',
      http: { host: '0.0.0.0', port: 3000 },
      basePath: '/',
      sessionTtlMs: 8 * 3_600_000,
      cookieSecure: true,
      health: { host: '0.0.0.0', port: 9107 },
      logLevel: 'info',
      shutdownTimeoutMs: 30_000,
      users: [],
    });
    expect(config.tokens).toEqual([{ role: 'admin', sha256: Buffer.from(TOKEN_HASH, 'hex') }]);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('refuses to start without any credential, naming the variables', () => {
    expect(() => loadConfig({ DASHBOARD_SESSION_SECRET: SECRET })).toThrow(/dashboard: .*DASHBOARD_ADMIN_PASSWORD_HASH.*never serves without a login/);
  });

  it('names every bad variable at once, never their values', () => {
    const env = {
      DASHBOARD_SESSION_SECRET: 'short-secret-value',
      DASHBOARD_PORT: 'abc',
      DASHBOARD_BASE_PATH: '/ops/../x',
      DASHBOARD_ADMIN_PASSWORD_HASH: 'plain-password-here',
      DASHBOARD_VIEWER_TOKEN_SHA256: 'the-raw-token',
      DASHBOARD_COOKIE_SECURE: 'maybe',
      DASHBOARD_SESSION_TTL_MS: '10',
      BULLMQ_PREFIX: 'a:b',
      REDIS_PORT: 'x',
    };
    expect(problemsOf(env).sort()).toEqual(
      [
        'invalid BULLMQ_PREFIX',
        'invalid DASHBOARD_ADMIN_PASSWORD_HASH',
        'invalid DASHBOARD_BASE_PATH',
        'invalid DASHBOARD_COOKIE_SECURE',
        'invalid DASHBOARD_PORT',
        'invalid DASHBOARD_SESSION_SECRET',
        'invalid DASHBOARD_SESSION_TTL_MS',
        'invalid DASHBOARD_VIEWER_TOKEN_SHA256',
        'invalid REDIS_PORT',
      ].sort(),
    );
    let message = '';
    try {
      loadConfig(env);
    } catch (err) {
      message = (err as Error).message;
    }
    for (const value of ['short-secret-value', 'plain-password-here', 'the-raw-token']) expect(message).not.toContain(value);
  });

  it('says how to escape `$` when the hash arrived cut short (a .env read by Nx), and only then', () => {
    const messageOf = (hash: string) => {
      try {
        loadConfig({ DASHBOARD_SESSION_SECRET: 'a-session-secret-of-enough-length-0123', DASHBOARD_ADMIN_PASSWORD_HASH: hash });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    };
    // dotenv-expand read `$c2Fs…` and `$a2V5…` as variables: what reaches the process.
    expect(messageOf('scrypt$16384$8$1')).toMatch(/DASHBOARD_ADMIN_PASSWORD_HASH.*write each `\$` as `\\\$`/);
    expect(messageOf('plain-password-here')).toMatch(/DASHBOARD_ADMIN_PASSWORD_HASH/);
    expect(messageOf('plain-password-here')).not.toContain('\\$');
  });

  it('takes a Redis Cluster (REDIS_CLUSTER_NODES) and refuses a braced BULLMQ_PREFIX there, not on a standalone Redis', () => {
    const base = { DASHBOARD_SESSION_SECRET: SECRET, DASHBOARD_ADMIN_TOKEN_SHA256: TOKEN_HASH };
    const config = loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001,127.0.0.1:7002' });
    expect(config.redis.clusterNodes).toEqual([
      { host: '127.0.0.1', port: 7001 },
      { host: '127.0.0.1', port: 7002 },
    ]);
    expect(config.prefix).toBe('bull');
    expect(problemsOf({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001', BULLMQ_PREFIX: '{mine}' })).toEqual(['invalid BULLMQ_PREFIX']);
    expect(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001', BULLMQ_PREFIX: 'a{b' })).toThrow(/BULLMQ_PREFIX.*must not contain \{ or \} with REDIS_CLUSTER_NODES \(a hash tag is added per queue group\)/);
    expect(problemsOf({ ...base, BULLMQ_PREFIX: '{mine}' })).toEqual([]);
    expect(() => loadConfig({ ...base, REDIS_CLUSTER_NODES: '127.0.0.1:7001', REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(
      /invalid REDIS_CLUSTER_NODES: set either REDIS_CLUSTER_NODES \(a cluster\) or REDIS_URL/,
    );
  });

  it('requires the session secret', () => {
    expect(problemsOf({ DASHBOARD_ADMIN_TOKEN_SHA256: TOKEN_HASH })).toEqual(['missing DASHBOARD_SESSION_SECRET']);
  });

  it('normalises the base path and reads users, roles and the escaped hash form', () => {
    const config = loadConfig({
      DASHBOARD_SESSION_SECRET: SECRET,
      DASHBOARD_BASE_PATH: 'ops//queues/',
      DASHBOARD_ADMIN_USER: 'root',
      DASHBOARD_ADMIN_PASSWORD_HASH: PASSWORD_HASH.replace(/\$/g, '\\$'),
      DASHBOARD_VIEWER_PASSWORD_HASH: PASSWORD_HASH,
      DASHBOARD_VIEWER_TOKEN_SHA256: TOKEN_HASH.toUpperCase(),
    });
    expect(config.basePath).toBe('/ops/queues');
    expect(config.users.map((u) => [u.name, u.role, u.passwordHash.N])).toEqual([
      ['root', 'admin', 16384],
      ['viewer', 'viewer', 16384],
    ]);
    expect(config.tokens.map((t) => t.role)).toEqual(['viewer']);
  });

  it('refuses the same token hash for both roles and the same user name for both', () => {
    expect(
      problemsOf({
        DASHBOARD_SESSION_SECRET: SECRET,
        DASHBOARD_ADMIN_TOKEN_SHA256: TOKEN_HASH,
        DASHBOARD_VIEWER_TOKEN_SHA256: TOKEN_HASH,
        DASHBOARD_ADMIN_PASSWORD_HASH: PASSWORD_HASH,
        DASHBOARD_VIEWER_PASSWORD_HASH: PASSWORD_HASH,
        DASHBOARD_VIEWER_USER: 'admin',
      }).sort(),
    ).toEqual(['invalid DASHBOARD_VIEWER_TOKEN_SHA256', 'invalid DASHBOARD_VIEWER_USER']);
  });
});
