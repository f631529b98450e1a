/**
 * Phone numbers as stored: a Dutch national number `0` + 9 digits (`0612345678`, `0201234567`),
 * or E.164 `+` country code and subscriber number, at most 15 digits (`+31612345678`).
 * Strict on purpose: this also validates user input. No spaces, dashes or brackets; a trunk `0`
 * after `+31` (`+310612345678`) is rejected, and a Dutch E.164 number has exactly 11 digits.
 */
const NATIONAL = /^0[1-9][0-9]{8}$/;
const E164 = /^\+[1-9][0-9]{6,14}$/;
const DUTCH_E164 = /^\+31[1-9][0-9]{8}$/;

export function isValidPhone(s: string): boolean {
  if (typeof s !== 'string') return false;
  if (NATIONAL.test(s)) return true;
  if (!E164.test(s)) return false;
  return !s.startsWith('+31') || DUTCH_E164.test(s);
}
