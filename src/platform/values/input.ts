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
