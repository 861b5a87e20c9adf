import { secretValuesFromEnv } from './secret-values-from-env';

describe('secretValuesFromEnv', () => {
  it('takes values of variables named like secrets and passwords inside URLs, nothing else', () => {
    const secrets = secretValuesFromEnv({
      REDIS_URL: 'redis://worker:url%40pass@cache:6379',
      REDIS_PASSWORD: 'redis-pass',
      OPENAI_API_KEY: 'sk-openai',
      APIFY_TOKEN: 'apify-token',
      EMAIL_WEBHOOK_SECRET: 'hook-secret',
      DB_PASSWORD_FILE_CONTENT: 'pw-content',
      EMAIL_TOKEN_URL: 'https://app.example/token',
      LOG_LEVEL: 'info',
      EMPTY_TOKEN: '',
    });
    expect(secrets).toEqual(
      expect.arrayContaining(['url%40pass', 'url@pass', 'redis-pass', 'sk-openai', 'apify-token', 'hook-secret', 'pw-content']),
    );
    expect(secrets).not.toContain('https://app.example/token');
    expect(secrets).not.toContain('info');
    expect(secrets).not.toContain('');
  });

  it('leaves out the shell working directories, which the pattern matches (…PWD) but are paths', () => {
    const secrets = secretValuesFromEnv({ PWD: '/app', OLDPWD: '/home/node', DB_PWD: 'db-pass' });
    expect(secrets).toEqual(['db-pass']);
  });
});
