/**
 * A prefix under which every key hashes to the same Redis Cluster slot as `key`, so a script or
 * MULTI may touch `key` and keys named `<prefix><anything>` together.
 *
 * Redis Cluster hashes only a key's hash tag when it has one (the text between its first `{`
 * and the first `}` after it, when that text is not empty), else the whole key
 * (redis.io/docs/latest/operate/oss_and_stack/reference/cluster-spec/#hash-tags). So:
 * - `key` with a hash tag → `key` itself: anything appended keeps that tag;
 * - `key` without any `}` → `{key}`: its tag is the whole of `key`, which is what `key` hashes;
 * - otherwise (a `}` but no tag, e.g. `a{}b`, `a}b`) no prefix has that slot → null.
 *
 * @example sameSlotKeyPrefix('email:messages:gmail') === '{email:messages:gmail}'
 * @example sameSlotKeyPrefix('{mail}:messages:gmail') === '{mail}:messages:gmail'
 */
export function sameSlotKeyPrefix(key: string): string | null {
  const open = key.indexOf('{');
  if (open >= 0 && key.indexOf('}', open + 1) > open + 1) return key;
  return key.includes('}') ? null : `{${key}}`;
}
