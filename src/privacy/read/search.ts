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
 * Whether a trigram index can find the term's matches: from three characters on (pg_trgm extracts
 * no trigram from a shorter pattern). A shorter term matches so many rows that walking the order's
 * index finds a page at once.
 */
export function usesTrigrams(term: string): boolean {
  return term.trim().length >= 3;
}

type SearchField = { column: string; match: SearchMatch };

/**
 * The WHERE condition of a search over `fields` (the searchable ones the caller reads, each with its
 * column and match): ILIKE for `contains` (trigram indexes serve it), `=` on the normalised term for
 * an identifier (its unique index serves it). A term that is no valid identifier skips that field;
 * with no field left the search finds nothing.
 */
export function searchCondition(fields: readonly SearchField[], term: string, params: SqlParams): string {
  const contains = fields.filter((f) => f.match === 'contains');
  const pattern = contains.length ? params.add(containsPattern(term)) : '';
  const parts = [...contains.map((f) => `${f.column} ILIKE ${pattern}`), ...identifierParts(fields, term, params)];
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** The `=` conditions of a search's identifier fields, for the term as each stores it; null when none applies. */
export function identifierCondition(fields: readonly SearchField[], term: string, params: SqlParams): string | null {
  const parts = identifierParts(fields, term, params);
  return parts.length ? `(${parts.join(' OR ')})` : null;
}

function identifierParts(fields: readonly SearchField[], term: string, params: SqlParams): string[] {
  const equals = new Map<IdentifierKind, string | null>();
  const parts: string[] = [];
  for (const { column, match } of fields) {
    if (match === 'contains') continue;
    if (!equals.has(match.equals)) {
      const value = NORMALISED[match.equals](term);
      equals.set(match.equals, value === null ? null : params.add(value));
    }
    const placeholder = equals.get(match.equals);
    if (placeholder) parts.push(`${column} = ${placeholder}`);
  }
  return parts;
}
