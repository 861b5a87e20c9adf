import { Writable } from 'node:stream';
import { context, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
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

  describe('trace fields', () => {
    const spanContext = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED };
    beforeAll(() => context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable()));
    afterAll(() => context.disable());

    it('adds trace_id, span_id and trace_flags to lines (a child logger’s too) logged inside a span, and nothing outside', () => {
      const { lines, log } = capture();
      context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => {
        log.info({ jobId: '1' }, 'inside');
        log.child({ queue: 'seo' }).warn('child inside');
      });
      log.info({ jobId: '2' }, 'outside');
      const [inside, child, outside] = lines.map((l) => JSON.parse(l));
      for (const line of [inside, child]) {
        expect(line).toMatchObject({ trace_id: spanContext.traceId, span_id: spanContext.spanId, trace_flags: '01' });
      }
      expect(inside.jobId).toBe('1');
      expect(outside).not.toHaveProperty('trace_id');
      expect(outside).toMatchObject({ jobId: '2', msg: 'outside' });
    });

    it("keeps a line's own fields over the trace fields, and adds none with traceFields: false", () => {
      const { lines, log } = capture();
      const lines2: string[] = [];
      const plain = createLogger({
        traceFields: false,
        destination: new Writable({
          write(chunk, _enc, cb) {
            lines2.push(String(chunk).trim());
            cb();
          },
        }),
      });
      context.with(trace.setSpanContext(ROOT_CONTEXT, spanContext), () => {
        log.info({ trace_id: 'own' }, 'own field');
        plain.info('plain');
      });
      expect(JSON.parse(lines[0]!).trace_id).toBe('own');
      expect(JSON.parse(lines2[0]!)).not.toHaveProperty('trace_id');
    });
  });
});
