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
    expect(config.sink).toEqual({
      kind: 'redis-stream',
      streamKeyPrefix: 'email:messages',
      maxLen: 100_000,
      group: 'email-app',
      markerTtlMs: 14 * 86_400_000,
      // Standalone: where the markers always were.
      markerKeyPrefixes: { gmail: 'bull:email-worker:appended:', outlook: 'bull:email-worker:appended:' },
    });
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
    expect(config.sink).toMatchObject({ kind: 'webhook', url: 'https://app.example/hooks/mail', markerKeyPrefix: 'bull:email-worker:sent:' });
    expect(config.graph.folders).toEqual(['inbox', 'archive']);
  });
});

describe('loadConfig in cluster mode (REDIS_CLUSTER_NODES)', () => {
  const cluster = { ...required, REDIS_CLUSTER_NODES: '127.0.0.1:7000,127.0.0.1:7001', BULLMQ_PREFIX: 'jobs' };

  it("puts the app's keys in the email queue's slot and each stream's markers in that stream's slot", () => {
    const config = loadConfig(cluster);
    expect(config.keyPrefix).toBe('jobs:{workflow}:email-worker');
    expect(config.sink).toMatchObject({
      kind: 'redis-stream',
      markerKeyPrefixes: { gmail: '{email:messages:gmail}:email-worker:appended:', outlook: '{email:messages:outlook}:email-worker:appended:' },
    });
    // A stream prefix with its own hash tag keeps it: markers go beside the stream.
    expect(loadConfig({ ...cluster, EMAIL_STREAM_KEY_PREFIX: '{mail}:messages' }).sink).toMatchObject({
      markerKeyPrefixes: { gmail: '{mail}:messages:gmail:email-worker:appended:', outlook: '{mail}:messages:outlook:email-worker:appended:' },
    });
    const webhook = loadConfig({ ...cluster, EMAIL_SINK: 'webhook', EMAIL_WEBHOOK_URL: 'https://app.example/hooks/mail', EMAIL_WEBHOOK_SECRET: 'whsec_dGVzdA==' });
    expect(webhook.sink).toMatchObject({ kind: 'webhook', markerKeyPrefix: 'jobs:{workflow}:email-worker:sent:' });
  });

  it('refuses a stream prefix whose "}" forms no hash tag (no marker could share its slot), only in cluster mode', () => {
    for (const prefix of ['mail{}:messages', 'mail}:messages']) {
      let err: unknown;
      try {
        loadConfig({ ...cluster, EMAIL_STREAM_KEY_PREFIX: prefix });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems).toEqual([{ variable: 'EMAIL_STREAM_KEY_PREFIX', kind: 'invalid', message: expect.stringContaining('hash tag') }]);
      expect((err as Error).message).toMatch(/^email-worker: invalid EMAIL_STREAM_KEY_PREFIX/);
      expect(loadConfig({ ...required, EMAIL_STREAM_KEY_PREFIX: prefix }).sink).toMatchObject({ streamKeyPrefix: prefix });
    }
  });

  it('does not check the stream prefix with the webhook sink (no stream is written)', () => {
    const webhook = { ...cluster, EMAIL_SINK: 'webhook', EMAIL_WEBHOOK_URL: 'https://app.example/hooks/mail', EMAIL_WEBHOOK_SECRET: 'whsec_dGVzdA==' };
    for (const prefix of ['mail{}:messages', 'mail}:messages']) {
      expect(loadConfig({ ...webhook, EMAIL_STREAM_KEY_PREFIX: prefix }).sink).toEqual({
        kind: 'webhook',
        url: 'https://app.example/hooks/mail',
        secret: 'whsec_dGVzdA==',
        markerTtlMs: 14 * 86_400_000,
        timeoutMs: expect.any(Number),
        maxBodyBytes: expect.any(Number),
        markerKeyPrefix: 'jobs:{workflow}:email-worker:sent:',
      });
    }
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
