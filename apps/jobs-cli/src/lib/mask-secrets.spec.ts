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
