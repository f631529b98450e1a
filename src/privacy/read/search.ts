import type { IdentifierKind, SearchMatch } from '../policy/policy-types';
import { normalizedEmail } from '../../platform/values/email';
import { normalizedIban } from '../../platform/values/iban';
import { normalizedPhone } from '../../platform/values/phone';
import { containsPattern, SqlParams } from './sql';

/** The stored form of each identifier kind: what an equality look-up compares with. */
const NORMALISED: Record<IdentifierKind, (term: string) => string | null> = {
  email: normalizedEmail,
  phone: (term) => normalizedPhone(term.trim()),
  iban: normalizedIban,
};

/**
 * The WHERE condition of a search over `fields` (the searchable ones the caller reads, each with its
 * column and match): ILIKE for `contains` (trigram indexes serve it), `=` on the normalised term for
 * an identifier (its unique index serves it). A term that is no valid identifier skips that field;
 * with no field left the search finds nothing.
 */
export function searchCondition(fields: readonly { column: string; match: SearchMatch }[], term: string, params: SqlParams): string {
  let pattern: string | undefined;
  const equals = new Map<IdentifierKind, string | null>();
  const parts: string[] = [];
  for (const { column, match } of fields) {
    if (match === 'contains') {
      pattern ??= params.add(containsPattern(term));
      parts.push(`${column} ILIKE ${pattern}`);
      continue;
    }
    if (!equals.has(match.equals)) {
      const value = NORMALISED[match.equals](term);
      equals.set(match.equals, value === null ? null : params.add(value));
    }
    const placeholder = equals.get(match.equals);
    if (placeholder) parts.push(`${column} = ${placeholder}`);
  }
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}
