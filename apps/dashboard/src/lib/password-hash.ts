import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

// scrypt from node:crypto rather than argon2id: the argon2 package is a native addon, to be
// compiled or fetched for every image and platform; scrypt ships with Node and is on OWASP's
// Password Storage Cheat Sheet list with the parameters below.

/** scrypt cost parameters OWASP lists (Password Storage Cheat Sheet): N = 2^17, r = 8, p = 1. */
export const SCRYPT_DEFAULTS = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** Largest N accepted in a stored hash: bounds the memory one login may take (128·N·r bytes). */
export const MAX_SCRYPT_N = 2 ** 20;

const SALT_BYTES = 16;
const KEY_BYTES = 32;

/** A parsed `scrypt$N$r$p$<salt b64>$<hash b64>` string. */
export interface PasswordHash {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Buffer;
  readonly hash: Buffer;
}

function derive(password: string, salt: Buffer, keyLength: number, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // Node's default maxmem (32 MiB) refuses N = 2^17, r = 8 (128 MiB): allow what the parameters need.
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 128 * params.N * params.r * params.p + 16 * 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password.normalize('NFC'), salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));
}

/**
 * Hashes a password into the self-describing string the dashboard's config reads
 * (`DASHBOARD_ADMIN_PASSWORD_HASH`): `scrypt$N$r$p$<salt base64>$<key base64>`, 16-byte random
 * salt, 32-byte key. The password is NFC-normalised first.
 * @param params - cost parameters; default {@link SCRYPT_DEFAULTS} (tests pass a cheaper N).
 */
export async function hashPassword(password: string, params: { N: number; r: number; p: number } = SCRYPT_DEFAULTS): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, KEY_BYTES, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), key.toString('base64')].join('$');
}

const POSITIVE = /^[1-9][0-9]{0,9}$/;

/**
 * Parses a stored hash. A `\$` is read as `$` (a `.env` read through Nx's dotenv-expand needs the
 * escape, which then reaches the process unescaped; `process.loadEnvFile` leaves it as written).
 * @returns undefined when the string is not one {@link hashPassword} writes: wrong scheme, N not a
 *   power of two or above {@link MAX_SCRYPT_N}, r·p too large, salt under 8 bytes or key under 16.
 */
export function parsePasswordHash(text: string): PasswordHash | undefined {
  const parts = text.trim().replace(/\\\$/g, '$').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  if (![n, r, p].every((v) => POSITIVE.test(v))) return undefined;
  const N = Number(n);
  if (N < 2 || N > MAX_SCRYPT_N || (N & (N - 1)) !== 0 || Number(r) * Number(p) > 64) return undefined;
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!base64.test(salt) || !base64.test(hash)) return undefined;
  const parsed = { N, r: Number(r), p: Number(p), salt: Buffer.from(salt, 'base64'), hash: Buffer.from(hash, 'base64') };
  if (parsed.salt.length < 8 || parsed.hash.length < 16) return undefined;
  return Object.freeze(parsed);
}

/**
 * True when `password` hashes to `stored` under the stored parameters and salt; the keys are
 * compared with `timingSafeEqual`.
 */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const key = await derive(password, stored.salt, stored.hash.length, stored);
  return timingSafeEqual(key, stored.hash);
}
