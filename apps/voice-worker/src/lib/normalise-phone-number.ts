import { parsePhoneNumberWithError, ParseError } from 'libphonenumber-js';
import { timezones } from 'libphonenumber-geo-carrier';
import { InvalidPhoneNumberError } from './errors';

/** A callable number: E.164 and the time zones its prefix is in. */
export interface NormalisedNumber {
  /** E.164, e.g. `+14155550123`. */
  readonly e164: string;
  /** ISO 3166-1 alpha-2 country, when known. */
  readonly country: string | null;
  /** IANA zones of the number's prefix (Google's libphonenumber data); empty when unknown. */
  readonly timeZones: readonly string[];
}

/**
 * Parses and validates a number with libphonenumber-js (Google's libphonenumber metadata):
 * international format (`+…`), or national format when `defaultCountry` is given. Returns it in
 * E.164 with the time zones of its prefix.
 * @throws InvalidPhoneNumberError for a number that does not parse or is not a valid number
 *   (wrong length, unassigned prefix).
 */
export async function normalisePhoneNumber(input: string, defaultCountry?: string): Promise<NormalisedNumber> {
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(input, defaultCountry as Parameters<typeof parsePhoneNumberWithError>[1]);
  } catch (err) {
    const reason = err instanceof ParseError ? err.message.toLowerCase().replace(/_/g, ' ') : String(err);
    throw new InvalidPhoneNumberError(`phoneNumber: "${input}" is not a phone number (${reason}); give it in international format, e.g. +14155550123`);
  }
  if (!parsed.isValid()) {
    throw new InvalidPhoneNumberError(`phoneNumber: "${input}" is not a valid ${parsed.country ?? ''} number (wrong length or unassigned prefix)`.replace('  ', ' '));
  }
  return { e164: parsed.number, country: parsed.country ?? null, timeZones: (await timezones(parsed)) ?? [] };
}
