import { z } from 'zod';
import { envBooleanSchema, withoutEmptyValues } from '@jobs/common';
import { redisSettingsFromEnv, RedisConfigError, type RedisSettings } from '@jobs/queue-contracts';
import { ConfigError, configProblemsFromZod, LOG_LEVELS, registerSecrets, secretValuesFromEnv, type ConfigProblem } from '@jobs/worker-kit';
import type { DashboardRole } from './lib/dashboard-role';
import { normaliseBasePath } from './lib/normalise-base-path';
import { parsePasswordHash, type PasswordHash } from './lib/password-hash';

/** The app's name: first word of a `ConfigError`, the logger's `app`. */
export const DASHBOARD_APP_NAME = 'dashboard';

/**
 * Default ports: the UI (`DASHBOARD_PORT`) and `/healthz`, `/readyz`, `/metrics` (`HEALTH_PORT`;
 * the workers use 9101-9106). docker/Dockerfile checks its HEALTH_PORT build argument against
 * `healthPort` here.
 */
export const DASHBOARD_DEFAULTS = Object.freeze({ httpPort: 3000, healthPort: 9107 });

/** Shortest accepted `DASHBOARD_SESSION_SECRET`, in characters (it keys the cookie's HMAC). */
export const MIN_SESSION_SECRET_CHARS = 32;

/** A user who may log in with a password, and the role the login gives. */
export interface DashboardUser {
  readonly name: string;
  readonly role: DashboardRole;
  readonly passwordHash: PasswordHash;
}

/** A bearer token's sha256 (32 bytes) and the role it gives. */
export interface DashboardToken {
  readonly role: DashboardRole;
  readonly sha256: Buffer;
}

/** The dashboard's resolved, frozen configuration. */
export interface DashboardConfig {
  readonly redis: RedisSettings;
  /**
   * BullMQ key prefix of the queues shown (`BULLMQ_PREFIX`, default `bull`), as configured: each
   * queue is opened under `queuePrefix({ redis, prefix }, queue)` (a hash tag added on a cluster).
   */
  readonly prefix: string;
  /** The UI's HTTP server (`DASHBOARD_HOST` 0.0.0.0, `DASHBOARD_PORT` 3000; 0 picks a free port). */
  readonly http: Readonly<{ host: string; port: number }>;
  /** Path everything is served under, normalised: `/` or `/a/b` (no trailing slash). */
  readonly basePath: string;
  /** Keys the session cookie's signature. */
  readonly sessionSecret: string;
  /** A session's life from login, in ms (`DASHBOARD_SESSION_TTL_MS`, default 8 h). */
  readonly sessionTtlMs: number;
  /** The session cookie's `Secure` flag (`DASHBOARD_COOKIE_SECURE`, default true). */
  readonly cookieSecure: boolean;
  /** Users with a configured password hash (admin first). */
  readonly users: readonly DashboardUser[];
  /** Configured bearer token hashes. */
  readonly tokens: readonly DashboardToken[];
  /** `/healthz`, `/readyz`, `/metrics` (`HEALTH_HOST` 0.0.0.0, `HEALTH_PORT` 9107). */
  readonly health: Readonly<{ host: string; port: number }>;
  readonly logLevel: (typeof LOG_LEVELS)[number];
  /** From SIGTERM to a forced exit with code 1, in ms (`SHUTDOWN_TIMEOUT_MS`, default 30 000). */
  readonly shutdownTimeoutMs: number;
}

const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);
const sha256Hex = z
  .string()
  .trim()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex digits (the sha256 of the token, never the token)')
  .optional();
const passwordHashSchema = z
  .string()
  .trim()
  .superRefine((v, ctx) => {
    if (parsePasswordHash(v) !== undefined) return;
    // Nx reads .env files through dotenv-expand, which takes `$salt…` for a variable and leaves
    // a cut string such as `scrypt$131072$8$1`: say how to write it when that is what arrived.
    const truncated = /^scrypt\$/.test(v) && v.split('$').length < 6;
    ctx.addIssue({
      code: 'custom',
      message: `must be a hash printed by \`npm run dashboard:hash-password\` (scrypt$N$r$p$salt$hash)${truncated ? '; it looks cut short: in a .env file read by Nx write each `$` as `\\$`' : ''}`,
    });
  })
  .optional();
const userName = (fallback: string) =>
  z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._@-]{1,64}$/, 'must be 1-64 letters, digits or . _ @ -')
    .default(fallback);

const envSchema = z
  .object({
    BULLMQ_PREFIX: z
      .string()
      .trim()
      .min(1)
      .refine((v) => !v.includes(':'), 'must not contain ":"')
      .default('bull'),
    DASHBOARD_HOST: z.string().trim().min(1).default('0.0.0.0'),
    DASHBOARD_PORT: port(DASHBOARD_DEFAULTS.httpPort),
    DASHBOARD_BASE_PATH: z
      .string()
      .trim()
      .refine((v) => normaliseBasePath(v) !== undefined, 'must be a path such as /ops/queues (letters, digits, - _ . ~ and /)')
      .default('/'),
    DASHBOARD_SESSION_SECRET: z.string().min(MIN_SESSION_SECRET_CHARS),
    DASHBOARD_SESSION_TTL_MS: z.coerce.number().int().min(60_000).max(30 * 86_400_000).default(8 * 3_600_000),
    DASHBOARD_COOKIE_SECURE: envBooleanSchema.default(true),
    DASHBOARD_ADMIN_USER: userName('admin'),
    DASHBOARD_ADMIN_PASSWORD_HASH: passwordHashSchema,
    DASHBOARD_VIEWER_USER: userName('viewer'),
    DASHBOARD_VIEWER_PASSWORD_HASH: passwordHashSchema,
    DASHBOARD_ADMIN_TOKEN_SHA256: sha256Hex,
    DASHBOARD_VIEWER_TOKEN_SHA256: sha256Hex,
    HEALTH_HOST: z.string().trim().min(1).default('0.0.0.0'),
    HEALTH_PORT: port(DASHBOARD_DEFAULTS.healthPort),
    LOG_LEVEL: z.enum(LOG_LEVELS).default('info'),
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  })
  .superRefine((e, ctx) => {
    // It never serves without authentication: some way to log in must exist.
    const credentials = [e.DASHBOARD_ADMIN_PASSWORD_HASH, e.DASHBOARD_VIEWER_PASSWORD_HASH, e.DASHBOARD_ADMIN_TOKEN_SHA256, e.DASHBOARD_VIEWER_TOKEN_SHA256];
    if (credentials.every((c) => c === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['DASHBOARD_ADMIN_PASSWORD_HASH'],
        message: 'is required unless DASHBOARD_VIEWER_PASSWORD_HASH, DASHBOARD_ADMIN_TOKEN_SHA256 or DASHBOARD_VIEWER_TOKEN_SHA256 is set: the dashboard never serves without a login',
      });
    }
    if (e.DASHBOARD_ADMIN_USER === e.DASHBOARD_VIEWER_USER && e.DASHBOARD_ADMIN_PASSWORD_HASH && e.DASHBOARD_VIEWER_PASSWORD_HASH) {
      ctx.addIssue({ code: 'custom', path: ['DASHBOARD_VIEWER_USER'], message: 'must differ from DASHBOARD_ADMIN_USER' });
    }
    if (e.DASHBOARD_ADMIN_TOKEN_SHA256 && e.DASHBOARD_ADMIN_TOKEN_SHA256.toLowerCase() === e.DASHBOARD_VIEWER_TOKEN_SHA256?.toLowerCase()) {
      ctx.addIssue({ code: 'custom', path: ['DASHBOARD_VIEWER_TOKEN_SHA256'], message: 'must differ from DASHBOARD_ADMIN_TOKEN_SHA256' });
    }
  });

/**
 * Reads the dashboard's configuration from the environment, once, at the edge (`main.ts`).
 *
 * | variable | meaning | default |
 * | --- | --- | --- |
 * | `REDIS_URL` or `REDIS_HOST`/`PORT`/`USERNAME`/`PASSWORD`/`TLS`/`DB` | Redis of the queues | 127.0.0.1:6379 |
 * | `REDIS_CLUSTER_NODES` | a Redis Cluster's seed nodes instead (`host:port,…`) | none |
 * | `BULLMQ_PREFIX` | key prefix of the queues (no `{`/`}` on a cluster) | `bull` |
 * | `DASHBOARD_HOST`, `DASHBOARD_PORT` | the UI's server | 0.0.0.0, 3000 |
 * | `DASHBOARD_BASE_PATH` | path the UI answers under (an ingress that does not rewrite paths) | `/` |
 * | `DASHBOARD_SESSION_SECRET` | signs the session cookie, ≥ 32 characters | required |
 * | `DASHBOARD_SESSION_TTL_MS` | a login's life, ms | 28800000 (8 h) |
 * | `DASHBOARD_COOKIE_SECURE` | `Secure` cookie (false only for plain-http local use) | true |
 * | `DASHBOARD_ADMIN_USER`, `DASHBOARD_ADMIN_PASSWORD_HASH` | admin login | admin, none |
 * | `DASHBOARD_VIEWER_USER`, `DASHBOARD_VIEWER_PASSWORD_HASH` | read-only login | viewer, none |
 * | `DASHBOARD_ADMIN_TOKEN_SHA256`, `DASHBOARD_VIEWER_TOKEN_SHA256` | hex sha256 of a bearer token | none |
 * | `HEALTH_HOST`, `HEALTH_PORT` | `/healthz`, `/readyz`, `/metrics` | 0.0.0.0, 9107 |
 * | `LOG_LEVEL` | trace … fatal, silent | info |
 * | `SHUTDOWN_TIMEOUT_MS` | SIGTERM to forced exit, ms | 30000 |
 *
 * At least one password hash or token hash must be set. A password hash's `$` may be written
 * `\$` (a `.env` read by Nx expands `$name`). Every secret value is registered for redaction
 * (`registerSecrets`) before anything is checked.
 * @param env - defaults to `process.env`; tests pass a plain object.
 * @throws ConfigError (`source` = `dashboard`) naming every missing or bad variable, never values.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<DashboardConfig> {
  // Token hashes are not named like secrets, yet they are one offline guess away from a token.
  registerSecrets([...secretValuesFromEnv(env), env['DASHBOARD_ADMIN_TOKEN_SHA256'], env['DASHBOARD_VIEWER_TOKEN_SHA256']]);
  const present = withoutEmptyValues(env);
  const problems: ConfigProblem[] = [];
  let redis: RedisSettings | undefined;
  try {
    redis = redisSettingsFromEnv(env);
  } catch (err) {
    if (!(err instanceof RedisConfigError)) throw err;
    problems.push(
      ...(err.cause instanceof z.ZodError
        ? configProblemsFromZod(err.cause, present)
        : err.problems.map((p) => ({ variable: p.variable, kind: 'invalid' as const, message: p.message }))),
    );
  }
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) problems.push(...configProblemsFromZod(parsed.error, present));
  // In cluster mode each queue's prefix gets its group's hash tag (`queuePrefix`); a tag of the
  // user's own would override it, so it is refused here rather than as a RangeError at start.
  if (redis?.clusterNodes && parsed.success && /[{}]/.test(parsed.data.BULLMQ_PREFIX)) {
    problems.push({ variable: 'BULLMQ_PREFIX', kind: 'invalid', message: 'must not contain { or } with REDIS_CLUSTER_NODES (a hash tag is added per queue group)' });
  }
  if (problems.length > 0 || !redis || !parsed.success) throw new ConfigError(problems, { source: DASHBOARD_APP_NAME });
  const e = parsed.data;
  const users: DashboardUser[] = [];
  const adminHash = e.DASHBOARD_ADMIN_PASSWORD_HASH && parsePasswordHash(e.DASHBOARD_ADMIN_PASSWORD_HASH);
  if (adminHash) users.push(Object.freeze({ name: e.DASHBOARD_ADMIN_USER, role: 'admin' as const, passwordHash: adminHash }));
  const viewerHash = e.DASHBOARD_VIEWER_PASSWORD_HASH && parsePasswordHash(e.DASHBOARD_VIEWER_PASSWORD_HASH);
  if (viewerHash) users.push(Object.freeze({ name: e.DASHBOARD_VIEWER_USER, role: 'viewer' as const, passwordHash: viewerHash }));
  const tokens: DashboardToken[] = [];
  if (e.DASHBOARD_ADMIN_TOKEN_SHA256) tokens.push(Object.freeze({ role: 'admin' as const, sha256: Buffer.from(e.DASHBOARD_ADMIN_TOKEN_SHA256, 'hex') }));
  if (e.DASHBOARD_VIEWER_TOKEN_SHA256) tokens.push(Object.freeze({ role: 'viewer' as const, sha256: Buffer.from(e.DASHBOARD_VIEWER_TOKEN_SHA256, 'hex') }));
  return Object.freeze({
    redis,
    prefix: e.BULLMQ_PREFIX,
    http: Object.freeze({ host: e.DASHBOARD_HOST, port: e.DASHBOARD_PORT }),
    basePath: normaliseBasePath(e.DASHBOARD_BASE_PATH) as string,
    sessionSecret: e.DASHBOARD_SESSION_SECRET,
    sessionTtlMs: e.DASHBOARD_SESSION_TTL_MS,
    cookieSecure: e.DASHBOARD_COOKIE_SECURE,
    users: Object.freeze(users),
    tokens: Object.freeze(tokens),
    health: Object.freeze({ host: e.HEALTH_HOST, port: e.HEALTH_PORT }),
    logLevel: e.LOG_LEVEL,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
  });
}
