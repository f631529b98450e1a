import type { IdentifierKind, SearchMatch } from '../policy/policy-types';
import { tableRule } from '../policy/access';
import { normalizedEmail } from '../../platform/values/email';
import { normalizedIban } from '../../platform/values/iban';
import { normalizedPhone } from '../../platform/values/phone';
import { normalizedPostcode } from '../../platform/values/postcode';
import { COMPUTED_SEARCHES } from './computed-columns';
import { containsPattern, SqlParams } from './sql';

/**
 * The stored forms of each identifier kind: what an equality look-up compares with (a postcode is
 * stored with or without its space), or null when the term is not one.
 */
const NORMALISED: Record<IdentifierKind, (term: string) => string[] | null> = {
  email: (term) => one(normalizedEmail(term)),
  phone: (term) => one(normalizedPhone(term.trim())),
  iban: (term) => one(normalizedIban(term)),
  postcode: (term) => {
    const shown = normalizedPostcode(term);
    return shown ? [shown, shown.replace(' ', '')] : null;
  },
};
const one = (value: string | null) => (value === null ? null : [value]);

/**
 * Whether a trigram index can find the term's matches: from three characters on (pg_trgm extracts
 * no trigram from a shorter pattern). A shorter term matches so many rows that walking the order's
 * index finds a page at once.
 */
export function usesTrigrams(term: string): boolean {
  return term.trim().length >= 3;
}

/** A searchable field the caller reads: its column (or computed SQL), its match, and its `Type.field` path. */
export type SearchField = { column: string; match: SearchMatch; path: string };

/**
 * The WHERE condition of a search over `fields` (the searchable ones the caller reads): ILIKE for
 * `contains` (trigram indexes serve it), `=` on the normalised term for an identifier (its index
 * serves it; a resolved field by its computed search). A term that is no valid identifier skips that
 * field; with no field left the search finds nothing.
 */
export function searchCondition(fields: readonly SearchField[], term: string, params: SqlParams): string {
  const contains = fields.filter((f) => f.match === 'contains');
  const pattern = contains.length ? params.add(containsPattern(term)) : '';
  const parts = [...contains.map((f) => `${f.column} ILIKE ${pattern}`), ...identifierConditions(fields, term, params)];
  return parts.length ? `(${parts.join(' OR ')})` : 'FALSE';
}

/** The conditions of a search's identifier fields, one per field, for the term as each stores it; none where it is no such identifier. */
export function identifierConditions(fields: readonly SearchField[], term: string, params: SqlParams): string[] {
  const placeholders = new Map<IdentifierKind, string[] | null>();
  const parts: string[] = [];
  for (const { column, match, path } of fields) {
    if (match === 'contains') continue;
    if (!placeholders.has(match.equals)) {
      const forms = NORMALISED[match.equals](term);
      placeholders.set(match.equals, forms && forms.map((form) => params.add(form)));
    }
    const values = placeholders.get(match.equals);
    if (!values) continue;
    const computed = COMPUTED_SEARCHES[path];
    parts.push(computed ? computed(values.join(', ')) : values.length === 1 ? `${column} = ${values[0]}` : `${column} IN (${values.join(', ')})`);
  }
  return parts;
}

/** What a type's `search` matches, from the policy: for the schema's description of the argument. */
export function searchDescription(type: string): string {
  const fields = tableRule<string>(type).fields.filter((f) => f.searchable !== undefined);
  const named = (names: string[]) => (names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : names.join(''));
  const contains = fields.filter((f) => f.searchable === 'contains').map((f) => `\`${f.name}\``);
  const whole = fields.filter((f) => f.searchable !== 'contains')
    .map((f) => (typeof f.searchable === 'object' && f.searchable.equals === 'postcode' ? `the postcode of \`${f.name}\`` : `\`${f.name}\``));
  return `\`search\` matches only the fields the purpose reads: ${named(contains)} by any part of them, ${named(whole)} only whole (in any case or spacing).`;
}
