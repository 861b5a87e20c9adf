import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random 17-character alphanumeric id, the shape of Apify's record ids (runs, actors, datasets,
 * stores, users), e.g. `HG7ML7M8z78YcAPEB`.
 */
export function fakeApifyId(): string {
  let id = '';
  for (let i = 0; i < 17; i++) id += ALPHABET[randomInt(ALPHABET.length)];
  return id;
}
