/**
 * UTF-8 bytes of `value` serialised with `JSON.stringify` (0 for `undefined`), the measure
 * BullMQ's `sizeLimit` uses. Only call it on values already known to be bounded in depth
 * (see `jsonProblem`): `JSON.stringify` recurses.
 */
export function jsonByteLength(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
}
