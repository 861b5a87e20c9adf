import { createHash } from 'node:crypto';

/**
 * `count` pseudo-random numbers in [-1, 1), a pure function of `key`: the same key gives the same
 * numbers in every process and on every machine, whatever else was asked before. Built from
 * SHA-256 of `key#block` (8 numbers per 32-byte block, one unsigned 32-bit word each), so no
 * generator state is shared between keys.
 * @param key e.g. `'1234567890|21000000001|2024-01-15'`.
 * @param count how many numbers (≥ 0).
 */
export function syntheticUniforms(key: string, count: number): number[] {
  const out: number[] = [];
  for (let block = 0; out.length < count; block++) {
    const digest = createHash('sha256').update(`${key}#${block}`).digest();
    for (let offset = 0; offset + 4 <= digest.length && out.length < count; offset += 4) {
      out.push((digest.readUInt32BE(offset) / 2 ** 32) * 2 - 1);
    }
  }
  return out;
}
