import { z } from 'zod';
import { envBooleanSchema, formatZodError, withoutEmptyValues, withTimeout } from '../index';

describe('@jobs/common helpers', () => {
  it('withoutEmptyValues drops undefined, empty and blank values and keeps the rest', () => {
    expect(withoutEmptyValues({ A: '', B: '  ', C: undefined, D: '0', E: 'x' })).toEqual({ D: '0', E: 'x' });
  });

  it('envBooleanSchema reads true/1/yes and false/0/no and refuses anything else', () => {
    expect(['true', '1', 'yes', 'false', '0', 'no'].map((v) => envBooleanSchema.parse(v))).toEqual([true, true, true, false, false, false]);
    expect(envBooleanSchema.safeParse('TRUE').success).toBe(false);
  });

  it('formatZodError names each field by its path, the whole object as (root)', () => {
    const result = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    expect(result.success).toBe(false);
    if (!result.success) expect(formatZodError(result.error)).toMatch(/^a\.b: /);
    const root = z.string().safeParse(1);
    if (!root.success) expect(formatZodError(root.error)).toMatch(/^\(root\): /);
  });

  it('withTimeout resolves with the promise, or rejects with onTimeout() when it does not settle', async () => {
    await expect(withTimeout(Promise.resolve(7), 10_000, () => new Error('late'))).resolves.toBe(7);
    class Late extends Error {}
    await expect(withTimeout(new Promise<never>(() => undefined), 1, () => new Late())).rejects.toBeInstanceOf(Late);
  });
});
