/** Makes ids that look like Gmail's. */
export interface GmailIdSource {
  /** 16 lower-case hex digits, increasing with time like Gmail's message ids, e.g. `18f3a2b4c5d6e7f8`. */
  messageId(): string;
  /** `r` and a signed 64-bit decimal, e.g. `r-5123469874512365478` or `r812345678901234567`, like Gmail's draft ids. */
  draftId(): string;
}

/**
 * An id source seeded from `nowMs` (default `Date.now()`): the ms timestamp shifted left 20 bits,
 * plus a counter, which keeps ids unique within one server and 16 hex digits long until 2527.
 */
export function createGmailIdSource(nowMs = Date.now()): GmailIdSource {
  let next = BigInt(Math.trunc(nowMs)) << 20n;
  return {
    messageId: () => (next++).toString(16).padStart(16, '0'),
    // A multiplicative hash spreads the counter over the whole signed range, so both forms occur.
    draftId: () => `r${BigInt.asIntN(64, next++ * 0x9e3779b97f4a7c15n)}`,
  };
}
