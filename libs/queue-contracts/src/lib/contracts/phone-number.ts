import type * as LibPhoneNumber from 'libphonenumber-js/min';
import { z } from 'zod';
import { CONTRACT_LIMITS } from './contract-limits';

/** E.164 (ITU-T): a number is at most 15 digits, country code included. */
const MAX_E164_DIGITS = 15;

/** `+`, then digits and the separators people type; no letters, no extensions. */
const INTERNATIONAL_SHAPE = /^\+[0-9][0-9 ().-]*$/;

const HOW = 'must be a phone number in international format, e.g. +14155550123';

let libphonenumber: typeof LibPhoneNumber | undefined;
/**
 * libphonenumber-js is loaded when a phone number is first checked, not when the contracts are:
 * its metadata adds about 13 MB to every process that imports them, and most (the SEO, email and
 * enrichment workers among them) never check a number.
 */
function phoneLibrary(): typeof LibPhoneNumber {
  libphonenumber ??= require('libphonenumber-js/min') as typeof LibPhoneNumber;
  return libphonenumber;
}

/**
 * A phone number's shape, checked where the job is made so typos fail at once: international
 * format (`+` and the country calling code, as the voice worker requires), digits with optional
 * spaces, dots, dashes and parentheses, at most 15 digits (E.164), a country calling code that
 * libphonenumber knows (Google's libphonenumber metadata, through libphonenumber-js/min), at most
 * `CONTRACT_LIMITS.MAX_PHONE_CHARS` characters. Kept as given (trimmed).
 *
 * Deliberately not a validity check: a number of the wrong length for its country (the seed
 * README's `+1234567890` has 9 national digits where the US has 10) passes here, and the voice
 * worker, which checks validity with the full metadata, fails that call saying why.
 */
export const phoneNumberSchema = z
  .string()
  .trim()
  .max(CONTRACT_LIMITS.MAX_PHONE_CHARS)
  .superRefine((value, ctx) => {
    if (value.length > CONTRACT_LIMITS.MAX_PHONE_CHARS) return; // already reported by max()
    if (!INTERNATIONAL_SHAPE.test(value)) {
      ctx.addIssue({ code: 'custom', message: HOW });
      return;
    }
    const digits = value.replace(/\D/g, '').length;
    if (digits > MAX_E164_DIGITS) {
      ctx.addIssue({ code: 'custom', message: `${HOW} (at most ${MAX_E164_DIGITS} digits, E.164; has ${digits})` });
      return;
    }
    const { ParseError, parsePhoneNumberWithError } = phoneLibrary();
    try {
      parsePhoneNumberWithError(value);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
      const reason = err.message === 'INVALID_COUNTRY' ? 'unknown country calling code' : err.message.toLowerCase().replace(/_/g, ' ');
      ctx.addIssue({ code: 'custom', message: `${HOW} (${reason})` });
    }
  });
