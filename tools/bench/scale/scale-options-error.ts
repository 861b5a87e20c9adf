/** A `bench:scale` argument was missing, unknown or out of range; the message names it. */
export class ScaleOptionsError extends Error {
  override readonly name = 'ScaleOptionsError';
}
