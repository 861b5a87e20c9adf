import { Redis } from 'ioredis';
import { spawnWorkerProcess, startThrowawayRedis, waitFor, type ThrowawayRedis, type WorkerProcess } from '@jobs/test-support';

// Every app's real entry point, on a Redis that refuses its password: whatever the apps print
// (JSON logs at the most verbose level, start-up failures on stderr) must never hold it. The
// password is a canary: a value that appears nowhere else.
const APPS = ['email', 'voice', 'enrichment', 'seo'] as const;
const CANARY = 'canary-redis-pw-4b7e19';

/** The variables each app needs to get as far as connecting to Redis (nothing is called). */
const APP_ENV: Record<(typeof APPS)[number], Record<string, string>> = {
  email: { EMAIL_TOKEN_URL: 'http://127.0.0.1:9/token', EMAIL_TOKEN_SECRET: 'token-secret-canary-1', OPENAI_API_KEY: 'sk-canary-openai-1' },
  voice: { VAPI_API_KEY: 'vapi-canary-key-1', VAPI_PHONE_NUMBER_ID: 'phone-1', VAPI_BASE_URL: 'http://127.0.0.1:9' },
  enrichment: { APIFY_TOKEN: 'apify-canary-token-1', APIFY_ACTOR_ID: 'actor-1', APIFY_BASE_URL: 'http://127.0.0.1:9' },
  seo: {},
};

describe.each(APPS)('the %s worker never prints the Redis password', (app) => {
  let redis: ThrowawayRedis | undefined;
  let proc: WorkerProcess | undefined;
  afterEach(async () => {
    proc?.kill();
    await proc?.exited;
    await redis?.stop();
    proc = undefined;
    redis = undefined;
  });

  const spawn = (password: string) =>
    spawnWorkerProcess(`apps/${app}-worker/src/main.ts`, {
      ...APP_ENV[app],
      REDIS_URL: `redis://:${password}@127.0.0.1:${redis!.port}`,
      LOG_LEVEL: 'trace',
      HEALTH_HOST: '127.0.0.1',
      HEALTH_PORT: '0',
      VOICE_WEBHOOK_PORT: '0',
    });
  const printed = (p: WorkerProcess) => `${JSON.stringify(p.lines)}\n${p.stderr()}`;
  const sawAuthFailure = (p: WorkerProcess) => /WRONGPASS|NOAUTH|not reachable/.test(printed(p));

  it('started with a wrong password', async () => {
    redis = await startThrowawayRedis({ password: 'the-right-password' });
    proc = spawn(CANARY);
    // Until the app has failed to start or logged the refused login a few times.
    await waitFor('the refused login to be reported', () => proc!.child.exitCode !== null || (sawAuthFailure(proc!) && proc!.lines.length > 3), {
      timeoutMs: 30_000,
    });
    expect(sawAuthFailure(proc)).toBe(true);
    expect(printed(proc)).not.toContain(CANARY);
  }, 60_000);

  it('whose password is rotated while it runs', async () => {
    redis = await startThrowawayRedis({ password: CANARY });
    proc = spawn(CANARY);
    await proc.waitForLine((l) => l['msg'] === 'worker started', 30_000);
    const admin = new Redis(redis.url, { password: CANARY });
    await admin.config('SET', 'requirepass', 'the-new-password');
    await admin.client('KILL', 'TYPE', 'normal');
    admin.disconnect();
    await waitFor('the refused login to be reported', () => /WRONGPASS/.test(printed(proc!)), { timeoutMs: 30_000 });
    expect(printed(proc)).not.toContain(CANARY);
  }, 60_000);
});
