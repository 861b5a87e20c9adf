import { Writable } from 'node:stream';
import { createLogger } from './create-logger';
import { registerSecrets } from './redact-secrets';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  return { lines, log: createLogger({ level: 'info', name: 'test', destination }) };
}

describe('createLogger', () => {
  it('writes JSON lines with bindings, and errors under err', () => {
    const { lines, log } = capture();
    log.child({ queue: 'seo', jobId: '7' }).error({ err: new Error('boom') }, 'failed');
    const line = JSON.parse(lines[0]);
    expect(line).toMatchObject({ app: 'test', queue: 'seo', jobId: '7', msg: 'failed', level: 50 });
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom' });
  });

  it('redacts secrets in fields, in messages and in error text', () => {
    const { lines, log } = capture();
    const secrets = ['hunter2', 'ya29.a0AfH6SMBx', 'sk-live-123456', 's3cr3t-token', 'cookie-value', 'pw-in-url'];
    log.info(
      {
        password: 'hunter2',
        config: { accessToken: 'ya29.a0AfH6SMBx', apiKey: 'sk-live-123456' },
        headers: { authorization: 'Bearer s3cr3t-token', cookie: 'cookie-value' },
      },
      'connecting to redis://worker:pw-in-url@cache:6379 with Authorization: Bearer ya29.a0AfH6SMBx',
    );
    log.warn({ err: new Error('GET https://api.example/x?access_token=s3cr3t-token failed') }, 'request failed');
    log.info('calling https://host/path?key=sk-live-123456&page=2');
    log.info({ competitor: 'http://admin:hunter2@site.example/?password=pw-in-url', nested: { urls: ['redis://:hunter2@r:1'] } }, 'auditing');
    const text = lines.join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    expect(text).toContain('redis://worker:***@cache:6379');
    expect(text).toContain('access_token=***');
    expect(text).toContain('page=2');
    expect(JSON.parse(lines[0]).password).toBe('***');
  });

  it("redacts an error's own properties (ioredis AUTH arguments), registered secret values and errors under any key", () => {
    registerSecrets(['canary-redis-pw', 'sk-provider-key-1']);
    const { lines, log } = capture();
    const auth = Object.assign(new Error('WRONGPASS invalid username-password pair'), {
      command: { name: 'auth', args: ['canary-redis-pw'] },
    });
    log.error({ err: auth }, 'worker error');
    log.warn({ err: new Error('outer', { cause: new Error('provider: you sent sk-provider-key-1') }) }, 'with cause');
    log.warn({ error: auth, nested: { failure: new Error('sk-provider-key-1 rejected') } }, 'under other keys');
    log.info('raw key sk-provider-key-1 in a message');
    const text = lines.join('\n');
    expect(text).not.toContain('canary-redis-pw');
    expect(text).not.toContain('sk-provider-key-1');
    expect(JSON.parse(lines[0]).err.command).toEqual({ name: 'auth', args: ['***'] });
    expect(JSON.parse(lines[2]).error.message).toBe('WRONGPASS invalid username-password pair');
  });
});
