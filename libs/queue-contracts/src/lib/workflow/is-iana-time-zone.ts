/**
 * True when `timeZone` is a time zone this runtime's ICU knows (`Europe/Paris`, `UTC`,
 * `America/New_York` …): `Intl.DateTimeFormat` throws a `RangeError` on any other.
 */
export function isIanaTimeZone(timeZone: string): boolean {
  if (timeZone.length === 0 || timeZone.length > 64) return false;
  try {
    new Intl.DateTimeFormat(undefined, { timeZone });
    return true;
  } catch {
    return false;
  }
}
