import { hashPassword, parsePasswordHash, SCRYPT_DEFAULTS, verifyPassword } from './password-hash';

const CHEAP = { N: 2 ** 14, r: 8, p: 1 };

describe('password hashes', () => {
  it('hashes with the OWASP parameters by default and verifies the right password only', async () => {
    const text = await hashPassword('correct horse battery staple');
    expect(text).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/]+=*\$[A-Za-z0-9+/]+=*$/);
    const stored = parsePasswordHash(text)!;
    expect(stored).toMatchObject(SCRYPT_DEFAULTS);
    await expect(verifyPassword('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapl', stored)).resolves.toBe(false);
  });

  it('salts every hash: the same password twice gives two strings that both verify', async () => {
    const [a, b] = await Promise.all([hashPassword('pw-1234', CHEAP), hashPassword('pw-1234', CHEAP)]);
    expect(a).not.toBe(b);
    await expect(verifyPassword('pw-1234', parsePasswordHash(a)!)).resolves.toBe(true);
    await expect(verifyPassword('pw-1234', parsePasswordHash(b)!)).resolves.toBe(true);
  });

  it('treats canonically equal Unicode spellings as the same password', async () => {
    const stored = parsePasswordHash(await hashPassword('caf\u00e9', CHEAP))!;
    await expect(verifyPassword('cafe\u0301', stored)).resolves.toBe(true);
  });

  it.each([
    ['plain text', 'hunter2'],
    ['another scheme', 'argon2$1$2$3$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5'],
    ['N not a power of two', 'scrypt$1000$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5'],
    ['N too large', `scrypt$${2 ** 21}$8$1$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5`],
    ['a short key', 'scrypt$16384$8$1$c2FsdHNhbHQ=$a2V5'],
    ['not base64', 'scrypt$16384$8$1$c2FsdHNhbHQ=$!!!!'],
    ['a missing part', 'scrypt$16384$8$c2FsdHNhbHQ=$a2V5a2V5a2V5a2V5a2V5a2V5'],
  ])('refuses %s', (_label, text) => {
    expect(parsePasswordHash(text)).toBeUndefined();
  });
});
