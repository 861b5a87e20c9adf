import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { createLogger } from '@jobs/worker-kit';
import { testRedisUrl } from '@jobs/test-support';
import { loadConfig } from '../config';
import { hashPassword } from '../lib/password-hash';
import { LoginRateLimit } from '../lib/login-rate-limit';
import type { LoginThrottle } from '../lib/login-throttle';
import type { BoardAnswerCeiling } from '../lib/board-answer-ceiling';
import { startDashboard, type RunningDashboard } from '../lib/start-dashboard';

/** Credentials of the test dashboard. */
export const TEST_CREDENTIALS = Object.freeze({
  admin: { user: 'ops-admin', password: 'admin-password-for-tests' },
  viewer: { user: 'ops-viewer', password: 'viewer-password-for-tests' },
  adminToken: 'admin-bearer-token-for-tests-0123456789',
  viewerToken: 'viewer-bearer-token-for-tests-0123456789',
});

/** A dashboard started in this process on free ports, and the log lines it wrote. */
export interface TestDashboard extends RunningDashboard {
  /** `origin` + base path. */
  readonly url: string;
  readonly basePath: string;
  readonly logs: () => string;
  stop(): Promise<void>;
}

/**
 * Starts the dashboard in-process against the test Redis (or `redisEnv`'s, e.g.
 * `{ REDIS_CLUSTER_NODES }` of a throwaway cluster) under `prefix`, with an admin and a
 * viewer (cheap scrypt, N = 2^14, to keep tests quick) and both bearer tokens; cookies not `Secure`
 * unless `cookieSecure`. The per-address login rate limit is generous unless `rateLimit` is given
 * (the specs log in from loopback many times).
 */
export async function startTestDashboard(options: {
  prefix: string;
  basePath?: string;
  now?: () => number;
  throttle?: LoginThrottle;
  rateLimit?: LoginRateLimit;
  sessionTtlMs?: number;
  cookieSecure?: boolean;
  /** Where Redis is, as environment variables; default `{ REDIS_URL: testRedisUrl() }`. */
  redisEnv?: Readonly<Record<string, string>>;
  /** How long a Bull Board API call may take before a 503; default the dashboard's. */
  boardAnswerCeiling?: BoardAnswerCeiling;
}): Promise<TestDashboard> {
  const cheap = { N: 2 ** 14, r: 8, p: 1 };
  const sha = (t: string) => createHash('sha256').update(t).digest('hex');
  const config = loadConfig({
    ...(options.redisEnv ?? { REDIS_URL: testRedisUrl() }),
    BULLMQ_PREFIX: options.prefix,
    DASHBOARD_HOST: '127.0.0.1',
    DASHBOARD_PORT: '0',
    HEALTH_HOST: '127.0.0.1',
    HEALTH_PORT: '0',
    DASHBOARD_BASE_PATH: options.basePath ?? '/ops/queues',
    DASHBOARD_SESSION_SECRET: 'test-session-secret-0123456789abcdef',
    DASHBOARD_SESSION_TTL_MS: String(options.sessionTtlMs ?? 3_600_000),
    DASHBOARD_COOKIE_SECURE: String(options.cookieSecure ?? false),
    DASHBOARD_ADMIN_USER: TEST_CREDENTIALS.admin.user,
    DASHBOARD_ADMIN_PASSWORD_HASH: await hashPassword(TEST_CREDENTIALS.admin.password, cheap),
    DASHBOARD_VIEWER_USER: TEST_CREDENTIALS.viewer.user,
    DASHBOARD_VIEWER_PASSWORD_HASH: await hashPassword(TEST_CREDENTIALS.viewer.password, cheap),
    DASHBOARD_ADMIN_TOKEN_SHA256: sha(TEST_CREDENTIALS.adminToken),
    DASHBOARD_VIEWER_TOKEN_SHA256: sha(TEST_CREDENTIALS.viewerToken),
    LOG_LEVEL: 'info',
  });
  let logs = '';
  const destination = new Writable({
    write(chunk, _enc, done) {
      logs += String(chunk);
      done();
    },
  });
  const log = createLogger({ level: 'info', name: 'dashboard', destination });
  const running = await startDashboard({ config, log, handleSignals: false, exit: () => undefined, now: options.now, throttle: options.throttle, rateLimit: options.rateLimit ?? new LoginRateLimit({ burst: 10_000, maxInFlight: 1000 }), boardAnswerCeiling: options.boardAnswerCeiling });
  return {
    ...running,
    readiness: running.readiness,
    url: `${running.origin}${config.basePath === '/' ? '' : config.basePath}`,
    basePath: config.basePath,
    logs: () => logs,
    stop: () => running.shutdown.shutdown('test over'),
  };
}

/** Logs in through the form; returns the `Cookie` header value to send, and the answer. */
export async function logIn(dashboard: TestDashboard, user: string, password: string, extra: { next?: string; forwardedFor?: string; forwardedProto?: string } = {}): Promise<{ status: number; location: string | null; cookie: string | undefined; setCookie: string[] }> {
  const body = new URLSearchParams({ user, password, ...(extra.next ? { next: extra.next } : {}) });
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
  if (extra.forwardedFor) headers['x-forwarded-for'] = extra.forwardedFor;
  if (extra.forwardedProto) headers['x-forwarded-proto'] = extra.forwardedProto;
  const res = await fetch(`${dashboard.url}/login`, { method: 'POST', body, headers, redirect: 'manual' });
  await res.text();
  const setCookie = res.headers.getSetCookie();
  const cookie = setCookie.length > 0 ? setCookie.map((c) => c.split(';')[0]).join('; ') : undefined;
  return { status: res.status, location: res.headers.get('location'), cookie, setCookie };
}
