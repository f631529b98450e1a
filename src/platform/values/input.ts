import { BadUserInputError } from '../errors';

/**
 * Free text from a client, trimmed, between `min` and `max` characters. The error names the
 * field, never the value.
 */
export function requiredText(value: unknown, field: string, { min = 1, max }: { min?: number; max: number }): string {
  if (typeof value !== 'string') throw new BadUserInputError(`${field} is required`, field);
  const text = value.trim();
  if (text.length < min) {
    throw new BadUserInputError(min <= 1 ? `${field} must not be empty` : `${field} must be at least ${min} characters`, field);
  }
  if (text.length > max) throw new BadUserInputError(`${field} must be at most ${max} characters`, field);
  return text;
}

/** What an unacceptable value of a field is told: the same whatever made it unacceptable. */
const INVALID: Record<string, string> = {
  email: 'email is not a valid e-mail address',
  phone: 'phone is not a valid Dutch or E.164 phone number',
  iban: 'iban is not a valid IBAN',
};

/**
 * The refusal of a value, naming the field and never the value. A value another account already
 * holds is refused with exactly this too: an answer that said "in use" would tell the caller
 * another person's email, phone or IBAN.
 */
export function invalidValue(field: string): BadUserInputError {
  return new BadUserInputError(INVALID[field] ?? `${field} is not a valid value`, field);
}
