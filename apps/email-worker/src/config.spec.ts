import { ConfigError } from '@jobs/worker-kit';
import { EMAIL_WORKER_DEFAULTS, loadConfig } from './config';

const required = { EMAIL_TOKEN_URL: 'http://app.internal/tokens', EMAIL_TOKEN_SECRET: 's3cret-token', OPENAI_API_KEY: 'sk-test-key' };

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig(required);
    expect(config.worker).toMatchObject({
      concurrency: 5,
      limiter: { max: 10, durationMs: 1000 },
      health: { port: 9101 },
    });
    expect(EMAIL_WORKER_DEFAULTS).toEqual({ concurrency: 5, maxJobsPerSecond: 10, healthPort: 9101 });
    expect(config.gmail.rootUrl).toBe('https://gmail.googleapis.com/');
    expect(config.graph).toEqual({ baseUrl: 'https://graph.microsoft.com', folders: ['inbox', 'sentitems'] });
    expect(config.sync).toEqual({
      pageSize: 100,
      fetchConcurrency: 8,
      lookbackMs: 30 * 86_400_000,
      resyncOverlapMs: 86_400_000,
      requestTimeoutMs: 30_000,
    });
    expect(config.sink).toEqual({ kind: 'redis-stream', streamKeyPrefix: 'email:messages', maxLen: 100_000, group: 'email-app', markerTtlMs: 14 * 86_400_000 });
    expect(config.chat).toMatchObject({ baseUrl: 'https://api.openai.com/v1', model: 'gpt-4o-mini', contextWindowTokens: 128_000, maxOutputTokens: 800 });
    expect(config.keyPrefix).toBe('bull:email-worker');
    expect(Object.isFrozen(config) && Object.isFrozen(config.sink) && Object.isFrozen(config.chat)).toBe(true);
  });

  it('names every missing or bad variable at once, never echoing secret values', () => {
    let err: unknown;
    try {
      loadConfig({ EMAIL_SINK: 'webhook', EMAIL_WEBHOOK_SECRET: 'plain-secret-value', EMAIL_SYNC_PAGE_SIZE: '900' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const message = (err as Error).message;
    for (const name of ['EMAIL_TOKEN_URL', 'EMAIL_TOKEN_SECRET', 'OPENAI_API_KEY', 'EMAIL_WEBHOOK_SECRET', 'EMAIL_SYNC_PAGE_SIZE']) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain('plain-secret-value');
  });

  it('requires the webhook URL and secret only for the webhook output', () => {
    expect(() => loadConfig({ ...required, EMAIL_SINK: 'webhook' })).toThrow(/EMAIL_WEBHOOK_URL.*EMAIL_WEBHOOK_SECRET|EMAIL_WEBHOOK_SECRET.*EMAIL_WEBHOOK_URL/);
    const config = loadConfig({
      ...required,
      EMAIL_SINK: 'webhook',
      EMAIL_WEBHOOK_URL: 'https://app.example/hooks/mail',
      EMAIL_WEBHOOK_SECRET: 'whsec_dGVzdA==',
      EMAIL_OUTLOOK_FOLDERS: 'inbox, archive ',
    });
    expect(config.sink).toMatchObject({ kind: 'webhook', url: 'https://app.example/hooks/mail' });
    expect(config.graph.folders).toEqual(['inbox', 'archive']);
  });
});

describe('loadConfig with an empty environment (email)', () => {
  it('states each required variable as missing, in one line', () => {
    let err: unknown;
    try {
      loadConfig({});
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.problems).toEqual(['EMAIL_TOKEN_URL', 'EMAIL_TOKEN_SECRET', 'OPENAI_API_KEY'].map((variable) => ({ variable, kind: 'missing', message: 'is required' })));
    expect(error.message).toBe('email-worker: missing EMAIL_TOKEN_URL, EMAIL_TOKEN_SECRET, OPENAI_API_KEY');
  });

  it('lists missing and invalid variables apart, worker-kit ones included', () => {
    expect(() => loadConfig({ WORKER_CONCURRENCY: 'abc', HEALTH_PORT: '70000' })).toThrow(
      'email-worker: missing EMAIL_TOKEN_URL, EMAIL_TOKEN_SECRET, OPENAI_API_KEY; invalid WORKER_CONCURRENCY: must be a number; invalid HEALTH_PORT: must be ≤ 65535',
    );
  });
});
