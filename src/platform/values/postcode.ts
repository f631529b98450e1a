/** A Dutch postcode: four digits, the first not 0, and two letters (SA, SD and SS are not issued). */
const POSTCODE = /^([1-9][0-9]{3}) ?([A-Z]{2})$/;

/** The form a postcode is shown in, `1012 MA`, from any case and spacing; null when it is not one. */
export function normalizedPostcode(s: string): string | null {
  if (typeof s !== 'string') return null;
  const match = POSTCODE.exec(s.trim().toUpperCase().replace(/\s+/g, ' '));
  if (!match || ['SA', 'SD', 'SS'].includes(match[2])) return null;
  return `${match[1]} ${match[2]}`;
}
