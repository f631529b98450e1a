import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Phone numbers as accepted: a Dutch national number `0` + 9 digits (`0612345678`, `0201234567`),
 * or E.164 `+` country code and subscriber number, at most 15 digits (`+31612345678`). Strict on
 * purpose: no spaces, dashes or brackets; a trunk `0` after `+31` (`+310612345678`) is refused, and
 * a Dutch E.164 number has exactly 11 digits. Whether the number can exist is libphonenumber's
 * judgement (its metadata knows the numbering plans).
 */
const NATIONAL = /^0[1-9][0-9]{8}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const DUTCH_E164 = /^\+31[1-9][0-9]{8}$/;

/**
 * The one form a phone number is compared and stored in: E.164 (`0612345678` → `+31612345678`), or
 * null when the input is not a valid number in the accepted syntax.
 */
export function normalizedPhone(s: string): string | null {
  if (typeof s !== 'string') return null;
  const syntax = NATIONAL.test(s) || (E164.test(s) && (!s.startsWith('+31') || DUTCH_E164.test(s)));
  if (!syntax) return null;
  const parsed = parsePhoneNumberFromString(s, 'NL');
  return parsed?.isValid() ? parsed.number : null;
}
