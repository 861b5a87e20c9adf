import { UnrecoverableError } from 'bullmq';
import { redactError } from './redact-error';
import { registerSecrets } from './redact-secrets';

describe('redactError', () => {
  const SECRET = 'rk-live-5d1e0c9a';
  beforeAll(() => registerSecrets([SECRET, 'p@ss word/1']));

  it('copies the error with message, stack, own properties and the cause chain redacted, the original untouched', () => {
    const root = new Error(`root ${SECRET}`);
    const middle = new TypeError(`middle Bearer ${SECRET}`, { cause: root });
    const err = new UnrecoverableError(`outer ${SECRET}`);
    Object.assign(err, {
      cause: middle,
      command: { name: 'auth', args: ['default', 'unregistered-password'] },
      config: { url: `https://api.example/?key=${SECRET}`, headers: { Authorization: 'Bearer anything', 'X-Api-Key': SECRET } },
      response: { status: 401, data: { message: `you sent ${SECRET}` }, body: [`echo ${SECRET}`] },
      password: 'unregistered-too',
      statusCode: 401,
    });
    const copy = redactError(err) as UnrecoverableError & Record<string, unknown>;
    const text = JSON.stringify({ ...copy, message: copy.message, stack: copy.stack, cause: String((copy.cause as Error).stack) + String(((copy.cause as Error).cause as Error).stack) });
    expect(copy).toBeInstanceOf(UnrecoverableError);
    expect(copy.cause).toBeInstanceOf(TypeError);
    for (const secret of [SECRET, 'unregistered-password', 'unregistered-too']) expect(text).not.toContain(secret);
    expect(copy.message).toBe('outer ***');
    // The stack is kept (redacted) on every Node: since Node 22 it is an own accessor of the error.
    expect(copy.stack).toMatch(/^UnrecoverableError: outer \*\*\*\n\s+at /);
    expect(copy.stack).toContain('redact-error.spec.ts');
    expect((copy.cause as Error).stack).toMatch(/^TypeError: middle Bearer \*\*\*\n\s+at /);
    expect(Object.getOwnPropertyDescriptor(copy, 'stack')).toMatchObject({ writable: true, enumerable: false });
    expect(copy['command']).toEqual({ name: 'auth', args: ['***'] });
    expect(copy['statusCode']).toBe(401);
    expect(err.message).toBe(`outer ${SECRET}`);
    expect((err as unknown as Record<string, { args: string[] }>)['command'].args[1]).toBe('unregistered-password');
  });

  it('replaces a registered secret also in its URL-encoded form, and survives cycles and non-errors', () => {
    const err = new Error(`GET redis://127.0.0.1/?auth=${encodeURIComponent('p@ss word/1')}`);
    Object.assign(err, { self: err });
    const copy = redactError(err) as Error & { self: unknown };
    expect(copy.message).not.toContain(encodeURIComponent('p@ss word/1'));
    expect(copy.self).toBe(copy);
    expect(redactError(`thrown string ${SECRET}`).message).toBe('thrown string ***');
  });
});
