/**
 * Reads an HTTP `Retry-After` header value as a wait in ms from `nowMs`: either delay-seconds
 * (`"120"`, a non-negative decimal number) or an HTTP-date (`"Wed, 21 Oct 2015 07:28:00 GMT"`),
 * the two forms of RFC 9110 §10.2.3. A date in the past gives 0.
 *
 * One parser for every client of every app (Gmail, Graph, the chat API, webhooks, Vapi, Apify,
 * the platforms of later workers), so they all read the header the same way.
 * @param value - the header value; `null`/`undefined`/blank → `null`.
 * @param nowMs - the current time in epoch ms; default `Date.now()`.
 * @returns the wait in ms (an integer ≥ 0), or `null` when absent or unreadable (a negative number
 *   of seconds, a date that does not parse).
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number = Date.now()): number | null {
  if (value === null || value === undefined) return null;
  const text = value.trim();
  if (text === '') return null;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // Only a date has letters in it; `Date.parse` alone would read "-5" or "1e3" as dates.
  if (!/[a-z]/i.test(text)) return null;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}
