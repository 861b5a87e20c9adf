import { registerSecrets } from '@jobs/worker-kit';
import { isSecretKey, MASK, maskSecrets, maskSecretText } from './mask-secrets';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7yn3bRHQ5FHMQ\nq4v8t9rY\n-----END RSA PRIVATE KEY-----';

describe('isSecretKey', () => {
  it.each(['password', 'Password', 'smtpPassword', 'db_passwd', 'clientSecret', 'client_secret', 'token', 'accessToken', 'refresh_token', 'apiKey', 'api_key', 'X-Api-Key', 'authorization', 'Cookie', 'credentials', 'privateKey', 'private_key', 'webhookSecret'])(
    '%s names a secret',
    (key) => expect(isSecretKey(key)).toBe(true),
  );
  it.each(['userId', 'email', 'websiteUrl', 'maxTokens', 'tokensUsed', 'depth', 'name', 'attemptsMade', 'failedReason', 'stacktrace'])('%s does not', (key) =>
    expect(isSecretKey(key)).toBe(false),
  );
});

describe('maskSecretText', () => {
  it.each([
    ['Request failed: Authorization: Bearer abc.def-123_456', 'Request failed: Authorization: Bearer [redacted]'],
    [`token ${JWT} expired`, 'token [redacted] expired'],
    ['OpenAI said: invalid key sk-proj-AbCdEfGhIjKlMnOpQrStUv', 'OpenAI said: invalid key [redacted]'],
    ['stripe pk_live_51HxAbCdEfGhIjKlMnOp and sk_test_4eC39HqLyjWDarjtT1zdp7dc', 'stripe [redacted] and [redacted]'],
    ['AWS AKIAIOSFODNN7EXAMPLE denied', 'AWS [redacted] denied'],
    [`key:\n${PEM}\nend`, `key:\n${MASK}\nend`],
    ['connect redis://default:s3cr3t-pw@redis.internal:6379 failed', 'connect redis://default:[redacted]@redis.internal:6379 failed'],
    ['GET https://api.example/x?api_key=abcd1234&page=2', 'GET https://api.example/x?api_key=[redacted]&page=2'],
    ['{"password":"hunter22","user":"bob"}', '{"password":"[redacted]","user":"bob"}'],
    ['Authorization: Token abc123def', 'Authorization: Token [redacted]'],
    ['authorization=abc123def; next', 'authorization=[redacted]; next'],
    ['client_secret: swordfish-42 next', 'client_secret: [redacted] next'],
    ['ghp_0123456789abcdefghij0123456789abcdef in log', '[redacted] in log'],
    ['nothing secret in here: 42 pages crawled', 'nothing secret in here: 42 pages crawled'],
  ])('%p', (input, expected) => expect(maskSecretText(input)).toBe(expected));

  it('masks values registered from the environment wherever they appear', () => {
    registerSecrets(['registered-value-9f8e7d']);
    expect(maskSecretText('provider echoed registered-value-9f8e7d back')).toBe(`provider echoed ${MASK} back`);
    expect(maskSecretText('x=registered-value-9f8e7d')).not.toContain('registered-value');
  });
});

describe('maskSecrets over a Bull Board job', () => {
  it('masks secret keys at any depth, whole, and secret-looking strings everywhere else', () => {
    const job = {
      id: '17',
      name: 'EMAIL_SYNC',
      data: {
        userId: 'u1',
        provider: 'gmail',
        credentials: { user: 'bob', password: 'p' },
        nested: [{ apiKey: 'k-123', note: `uses Bearer ${JWT}` }],
        headers: { Authorization: 'Basic Ym9iOnB3', 'x-request-id': 'r1' },
        maxTokens: 800,
      },
      opts: { attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
      failedReason: 'token refresh failed: refresh_token=1//0gAbCdEf rejected',
      stacktrace: ['Error: 401 for Bearer abcdefgh\n    at fetch (node:internal)'],
      returnValue: null,
      timestamp: new Date(0),
    };
    const masked = maskSecrets(job) as typeof job;
    expect(masked.data.credentials).toBe(MASK);
    expect(masked.data.nested[0]).toEqual({ apiKey: MASK, note: `uses Bearer ${MASK}` });
    expect(masked.data.headers).toEqual({ Authorization: MASK, 'x-request-id': 'r1' });
    expect(masked.data.maxTokens).toBe(800);
    expect(masked.opts).toEqual(job.opts);
    expect(masked.failedReason).toBe(`token refresh failed: refresh_token=${MASK} rejected`);
    expect(masked.stacktrace[0]).toBe(`Error: 401 for Bearer ${MASK}\n    at fetch (node:internal)`);
    expect(masked.timestamp).toBe('1970-01-01T00:00:00.000Z');
    // The input is not changed.
    expect(job.data.credentials.password).toBe('p');
  });

  it('keeps empty and null secret fields as they are (nothing to hide, and the shape stays)', () => {
    expect(maskSecrets({ token: null, password: '' })).toEqual({ token: null, password: '' });
  });
});

// Values the dashboard's own patterns did not match before it used the kit's masker.
describe('canaries through the dashboard API masking', () => {
  it('masks secret keys by their endings and short names, and secrets in free text', () => {
    const masked = maskSecrets({
      aws_secret_access_key: 'canary-aws-1',
      secretKey: 'canary-sk-2',
      pass: 'canary-pass-3',
      auth: { user: 'u', password: 'canary-auth-4' },
      'x-api-key': 'canary-xak-5',
      private_key: 'canary-pk-6',
      note: `see ghp_0123456789abcdefghij0123456789abcdef and ${JWT} and sk-canaryAbCdEfGhIjKlMn and aws_secret_access_key=canary-aws-7 pass=canary-pass-8`,
      tokenCount: 3, keyword: 'k', passes: 2, authorId: 'a1', monkey: 'm', author: 'Ann',
    });
    expect(JSON.stringify(masked)).not.toMatch(/canary|ghp_|eyJ/);
    expect(masked).toMatchObject({ tokenCount: 3, keyword: 'k', passes: 2, authorId: 'a1', monkey: 'm', author: 'Ann' });
  });

  it('masks 2 MiB of adversarial job data (the old URL pattern was quadratic on it)', () => {
    for (const unit of ['a.', 'a-', '@', '://', 'Bearer ', 'a:']) {
      const note = unit.repeat(Math.floor((2 * 1024 * 1024) / unit.length));
      const started = performance.now();
      const masked = maskSecrets({ note }) as { note: string };
      console.log(`dashboard maskSecrets 2 MiB of ${JSON.stringify(unit)}: ${(performance.now() - started).toFixed(0)} ms`);
      expect(masked.note.length === note.length || unit === 'Bearer ').toBe(true);
      if (unit === 'Bearer ') expect(masked.note.startsWith(`Bearer ${MASK} Bearer ${MASK}`)).toBe(true);
    }
  }, 120_000);
});
