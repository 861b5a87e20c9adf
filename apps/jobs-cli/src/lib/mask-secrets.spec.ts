import { registerSecrets } from '@jobs/worker-kit';
import { maskSecrets } from './mask-secrets';

describe('maskSecrets', () => {
  it('replaces values under secret-named keys at any depth, keeps the rest', () => {
    const masked = maskSecrets({
      userId: 'u1',
      password: 'p4ss',
      nested: { refreshToken: 'r-123', smtp_password: 'x', openaiApiKey: 'sk-1', Authorization: 'Basic abc', list: [{ cookie: 'c=1' }] },
      pageTokens: ['keep-me'], // a key that only contains a secret word is not masked
      token: null,
    });
    expect(masked).toEqual({
      userId: 'u1',
      password: '***',
      nested: { refreshToken: '***', smtp_password: '***', openaiApiKey: '***', Authorization: '***', list: [{ cookie: '***' }] },
      pageTokens: ['keep-me'],
      token: null,
    });
  });

  it('scrubs strings with the kit: URL passwords, bearer tokens, token= parameters, registered values', () => {
    registerSecrets(['canary-value-42']);
    expect(
      maskSecrets(['https://u:pw@host/x', 'Authorization: Bearer abc.def', 'https://api/x?token=t0k&a=1', 'echo canary-value-42 back']),
    ).toEqual(['https://u:***@host/x', 'Authorization: Bearer ***', 'https://api/x?token=***&a=1', 'echo *** back']);
  });

  it('leaves the input untouched', () => {
    const input = { apiKey: 'k' };
    maskSecrets(input);
    expect(input).toEqual({ apiKey: 'k' });
  });
});

// Values the CLI's own rules did not match before it used the kit's masker.
describe('canaries through jobs-cli show', () => {
  const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';

  it('masks secret keys by their endings and short names, and secrets in free text', () => {
    const masked = maskSecrets({
      aws_secret_access_key: 'canary-aws-1',
      secretKey: 'canary-sk-2',
      pass: 'canary-pass-3',
      auth: 'canary-auth-4',
      'x-api-key': 'canary-xak-5',
      private_key: 'canary-pk-6',
      logs: [`token ${JWT} sent`, 'key sk-proj-canaryAbCdEfGhIjKl rejected', 'push with ghp_0123456789abcdefghij0123456789abcdef', '{"x-api-key":"canary-xak-7","private_key":"canary-pk-8"}'],
      tokenCount: 3, keyword: 'k', passes: 2, authorId: 'a1', monkey: 'm', author: 'Ann',
    });
    expect(JSON.stringify(masked)).not.toMatch(/canary|ghp_|eyJ/);
    expect(masked).toMatchObject({ secretKey: '***', 'x-api-key': '***', tokenCount: 3, keyword: 'k', passes: 2, authorId: 'a1', monkey: 'm', author: 'Ann' });
  });

  it('masks 2 MiB of adversarial job data (the old URL pattern was quadratic on it)', () => {
    for (const unit of ['a.', 'a-', '@', '://', 'a:']) {
      const note = unit.repeat(Math.floor((2 * 1024 * 1024) / unit.length));
      const started = performance.now();
      const masked = maskSecrets({ note }) as { note: string };
      console.log(`jobs-cli maskSecrets 2 MiB of ${JSON.stringify(unit)}: ${(performance.now() - started).toFixed(0)} ms`);
      expect(masked.note === note).toBe(true);
    }
  }, 120_000);
});
