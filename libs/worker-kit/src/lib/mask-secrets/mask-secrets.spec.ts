import { maskSecrets } from './mask-secrets';

const JWT = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const R = '[redacted]';

describe('maskSecrets', () => {
  it('replaces values under secret keys whole, at any depth, and masks secret-looking strings elsewhere', () => {
    const input = {
      userId: 'u1',
      credentials: { user: 'bob', password: 'p' },
      aws_secret_access_key: 'wJalrXUtnFEMI',
      secretKey: 12345,
      pass: 'p4ss',
      auth: { user: 'a', pass: 'b' },
      headers: { 'x-api-key': 'k', Authorization: 'Basic Ym9iOnB3', 'x-request-id': 'r1' },
      nested: [{ private_key: 'MIIE', note: `uses Bearer ${JWT}` }],
      message: `see ghp_0123456789abcdefghij0123456789abcdef and ${JWT}`,
      tokenCount: 1200,
      keyword: 'cheap flights',
      passes: 3,
      authorId: 'a7',
      author: 'Ann',
      monkey: 'banana',
      when: new Date(0),
    };
    expect(maskSecrets(input)).toEqual({
      userId: 'u1',
      credentials: R,
      aws_secret_access_key: R,
      secretKey: R,
      pass: R,
      auth: R,
      headers: { 'x-api-key': R, Authorization: R, 'x-request-id': 'r1' },
      nested: [{ private_key: R, note: `uses Bearer ${R}` }],
      message: `see ${R} and ${R}`,
      tokenCount: 1200,
      keyword: 'cheap flights',
      passes: 3,
      authorId: 'a7',
      author: 'Ann',
      monkey: 'banana',
      when: '1970-01-01T00:00:00.000Z',
    });
    expect(input.credentials.password).toBe('p');
  });

  it('masks the keys QA found coming through (GET /api/queues/email/tricky) and keeps look-alikes', () => {
    const input = {
      pwd: 'pw-canary-1', pass: 'pass-canary-2', nested: { pass: 'pass-canary-3', auth: 'auth-canary-4', cookies: 'c=1' },
      sessionId: 'sess-canary-5', session_id: 'sess-canary-6', otp: '493021', signature: 'sig-canary-7', privKey: 'pk-canary-8',
      priv_key: 'pk-canary-9', emailAccessTokenEncrypted: 'enc-canary-10', encryptedPassword: 'enc-canary-11', clientSecretRef: 'ref-canary-12',
      tokenCount: 3, maxTokens: 4096, keyword: 'k', passes: 2, authorId: 'a1', author: 'Ann', monkey: 'm', idempotencyKey: 'idem-1', cacheKey: 'c-1',
    };
    const masked = JSON.stringify(maskSecrets(input));
    expect(masked).not.toMatch(/canary|493021|c=1/);
    expect(maskSecrets(input)).toMatchObject({
      tokenCount: 3, maxTokens: 4096, keyword: 'k', passes: 2, authorId: 'a1', author: 'Ann', monkey: 'm', idempotencyKey: 'idem-1', cacheKey: 'c-1',
    });
  });

  it('keeps null, undefined and empty secret fields (nothing to hide), and takes another mask', () => {
    expect(maskSecrets({ token: null, password: '', secret: undefined })).toEqual({ token: null, password: '', secret: undefined });
    expect(maskSecrets({ token: 't', list: ['https://u:pw@h/'] }, { mask: '***' })).toEqual({ token: '***', list: ['https://u:***@h/'] });
  });

  it('cuts off data nested deeper than 64 levels', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(JSON.stringify(maskSecrets(deep))).toContain(R);
  });
});
