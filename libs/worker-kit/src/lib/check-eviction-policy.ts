import { ReplyError, type Redis } from 'ioredis';

/** What Redis said about its eviction policy. */
export type EvictionPolicyReading =
  /** `maxmemory-policy` read; `evicting` unless it is `noeviction`. */
  | { readonly kind: 'read'; readonly policy: string; readonly evicting: boolean }
  /** Redis refused to say (a managed Redis that disables or renames `CONFIG`, an ACL without it). */
  | { readonly kind: 'refused'; readonly reason: string };

/**
 * Reads Redis's `maxmemory-policy` (`CONFIG GET`). BullMQ needs `noeviction`: under memory
 * pressure any other policy drops job keys silently (BullMQ guide, "Going to production").
 * A reply error (`CONFIG` unknown, renamed, or denied by ACL) or an empty answer, as managed
 * Redis services give, is `refused`: the policy cannot be known.
 * @throws the client's error when Redis cannot be reached (ask again once it is).
 */
export async function checkEvictionPolicy(client: Redis): Promise<EvictionPolicyReading> {
  let reply: unknown;
  try {
    reply = await client.config('GET', 'maxmemory-policy');
  } catch (err) {
    // ioredis types ReplyError as `any`; it is the class of every error answer from Redis.
    if (err instanceof (ReplyError as new () => Error)) return { kind: 'refused', reason: (err as Error).message };
    throw err;
  }
  const policy = Array.isArray(reply) ? reply[1] : undefined;
  if (typeof policy !== 'string' || policy === '') return { kind: 'refused', reason: 'CONFIG GET maxmemory-policy gave no value' };
  return { kind: 'read', policy, evicting: policy !== 'noeviction' };
}
