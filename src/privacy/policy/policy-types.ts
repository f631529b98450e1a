import type { Audience, Purpose, Role } from '../../platform/auth/audiences';
import type { ScopeExpr } from './scope-expr';

/** How a personal value is masked when it must not survive: erasure, retention, anonymised copies. */
export type Masking =
  | { strategy: 'null' }
  /** A value derived from nothing: the same text for everyone (a keyed hash would be a pseudonym, recital 26). */
  | { strategy: 'fixed'; value: string | number }
  /** Kept as it is; the reason says why it identifies nobody once the rest is masked, or why the law needs it. */
  | { strategy: 'keep'; reason: string }
  /**
   * The end of something still open (a consent in force): set to the moment of the masking where
   * unset, kept where set. The reason says why the end is kept.
   */
  | { strategy: 'endNow'; reason: string };

/** Who gave the value (arts. 14, 15(1)(g)): the export and the register name it. */
export const SOURCES = {
  tenant: { nl: 'de huurder zelf', en: 'the tenant' },
  contract: { nl: 'de huurovereenkomst', en: 'the rental contract' },
  staff: { nl: 'medewerkers van Mijande', en: "the corporation's staff" },
  'tax-authority': { nl: 'de Belastingdienst', en: 'the tax authority' },
  reporter: { nl: 'de melder (een ander dan de huurder)', en: 'the reporter (another person)' },
  corporation: { nl: 'Mijande (eigen administratie)', en: "the corporation's own records" },
  'legal-recipient': { nl: 'de ontvanger bij een wettelijke verplichting', en: 'the recipient of a legal disclosure' },
} as const;
export type Source = keyof typeof SOURCES;

/** A risk that free text holds special categories (art. 9: health…) or criminal data (art. 10). */
export type SpecialCategory = 'art9' | 'art10';

/** Fides-style data category, e.g. `user.contact.phone`, and what to do with the value when masking. */
export interface PersonalData {
  category: string;
  masking: Masking;
  source: Source;
  /** Set where the value may hold art. 9 or art. 10 data (free text): the register warns of it. */
  special?: readonly SpecialCategory[];
  /** How the field is named to the tenant (Dutch), e.g. in a notification of a disclosure. Never a value. */
  label: string;
  /** Needed while a lease runs: an erasure request is refused for it until the lease ends (art. 17(3)(b)). */
  leaseBound?: true;
  /**
   * A key of the row naming another person the value is also about (a reporter's own statement in a
   * case about someone else): that person's anonymisation masks it too.
   */
  alsoAbout?: string;
}

/** Identifiers a search term is normalised as before an equality look-up (platform/values). */
export type IdentifierKind = 'email' | 'phone' | 'iban' | 'postcode';
export type SearchMatch = 'contains' | { equals: IdentifierKind };

export interface FieldRule {
  /** Audiences that may read the field. Nobody else does: the field rule and the column list derive from this. */
  readers: readonly Audience[];
  /** Audiences that may change the field (POLICY.md "W"). */
  writers?: readonly Audience[];
  /** Set for personal data: the field closes when the caller's purpose for the row has ended. */
  personal?: PersonalData;
  /** Resolved from another table or computed: no column of this type's own table. */
  resolved?: true;
  /**
   * `search` may match on it, for the audiences that can read it: `contains` (a trigram index serves
   * it), or `{ equals }` for an identifier, matched whole after normalising the term as a value of
   * that kind (an index on the column serves it; a partial email, phone or IBAN finds nobody).
   */
  searchable?: SearchMatch;
  /** A relation stored in this type's table as a foreign key (`contractorId`): what a write of the relation sets. */
  foreignKey?: string;
  /**
   * A resolved personal field built from columns of the type's own table (a dwelling's address from
   * street, number, postal code and city), by entity property: those columns carry its declaration.
   */
  columns?: readonly string[];
  /** Jobs that may set it (the retention job ends a lapsed registration). */
  jobs?: readonly Job[];
}

/**
 * A stored column no GraphQL field serves (a flag, a foreign key, a date the API keeps for itself),
 * declared so that writing it is checked like writing a field.
 */
/** Jobs that write without a caller (a schedule runs them), each with only the writes the policy grants it. */
export type Job = 'retention';

export interface StoredColumn {
  writers: readonly Audience[];
  /** Jobs that may set it. */
  jobs?: readonly Job[];
  /** Why the column exists and is not served. */
  why: string;
}

/** Which rows of a type an audience reaches, as an expression over the type's table (aliased by its table name). */
export interface RowScope {
  /** Parameters: `param('tenantId')`, `param('orgId')` of the caller. */
  where: ScopeExpr;
  /**
   * While the purpose of the row runs its personal fields are open; afterwards the row stays listed
   * but closed (a contractor's `DONE` order). Rows reached from this one inherit it.
   */
  openWhile?: { field: string; values: readonly string[] };
  /**
   * The role reaches these rows only through another row (a contractor reaches a tenant through a
   * work order): they are open only when reached from an open row, and closed when loaded any other way.
   */
  inheritsOpen?: true;
}

/** `table` holds (`subject`, `row`) for each subject id in this type's array field `field`. */
export interface SubjectIndex {
  table: string;
  subject: string;
  row: string;
  field: string;
}

/** The `column` of the rows of `table` whose `key` is this row's id and that meet `where` (written against `table`). */
export interface SubjectsThrough {
  table: string;
  column: string;
  key: string;
  where: ScopeExpr;
}

/**
 * What starts a row's retention clock: the deregistration of the person it is about (the row goes
 * with that person's anonymisation), a date of the row itself (entity property), or the end of the
 * fiscal year of a date or `YYYY-MM` period of the row (Dutch fiscal law counts from there).
 */
export type RetentionClock =
  | { kind: 'subject' }
  | { kind: 'date'; field: string }
  | { kind: 'fiscalYear'; field: string };

/** How long a table keeps personal data, and what happens then; the retention job enforces it. */
export interface Retention {
  clock: RetentionClock;
  period: { months: number } | { years: number };
  /**
   * `anonymise`: every personal field by its declared masking; `delete`: the row goes; `unlink`: the
   * row stays, but no longer tied to the anonymised person (a dwelling).
   */
  action: 'anonymise' | 'delete' | 'unlink';
  /** What the rule keeps and why, for the register and the export (Dutch: the tenant reads it). */
  nl: string;
}

export interface TypeRule {
  /** Rows of a table: every read goes through the row scope. Absent for structural types (Address, connections). */
  table?: string;
  /** Per role; a role absent here reaches no row. Staff scopes apply to every purpose. */
  scopes?: Partial<Record<Role, RowScope>>;
  /**
   * The column holding the id of the tenant a row is about: what the audit trail records and what a
   * restriction (art. 18) closes.
   */
  subjectColumn?: string;
  /**
   * For rows without a subject column whose personal fields are about other rows' subjects (a
   * dwelling's address is about the tenants who live there): what the audit trail records instead.
   */
  subjectsThrough?: SubjectsThrough;
  /**
   * A table of (subject, row) pairs the database writes with each row (a trigger, in the same
   * statement): a list of one subject's rows — a tenant's own, or a filter on `field` naming one
   * tenant — walks its key in order instead of searching the table. It only ever narrows: the row
   * scope still applies to every row.
   */
  subjectIndex?: SubjectIndex;
  /**
   * A table of the distinct values of the type's `contains`-searchable columns, (`searched_column`,
   * `value`, `holders`), kept by the database's triggers in the writing statement: a search matches
   * its pattern against the distinct values and walks each matching value's rows through an index
   * in the list's order, instead of fetching and sorting every matching row. It only ever narrows:
   * the row scope, filters and cursor still apply to every row.
   */
  searchValues?: string;
  /** Join columns always selected for the resolvers (identifiers, never personal values). */
  keys?: readonly string[];
  fields: Record<string, FieldRule>;
  /** Columns that writes set but no field serves: by property name of the entity. */
  stored?: Record<string, StoredColumn>;
  /** Required for every table holding personal data (a personal field, a subject column or index). */
  retention?: Retention;
}

/** A type whose fields are open to whoever was allowed to reach the object (its parent field decided). */
export const STRUCTURAL = 'structural' as const;

export interface PrivacyPolicy {
  types: Record<string, TypeRule | typeof STRUCTURAL>;
  /** While a tenant's processing is restricted (art. 18), only these audiences reach the tenant's rows. */
  restriction: { exempt: readonly Audience[] };
  /**
   * The purposes a tenant may object to (art. 21(1): those resting on legitimate interest). Once the
   * privacy officer upholds an objection, the staff row scopes of the objected purpose leave that
   * tenant's rows out, as they do a restricted tenant's.
   */
  objection: { purposes: readonly Purpose[] };
  /**
   * Who may mask every personal field about a tenant by its declared strategy (erasure, art. 17), and
   * which links to an address an anonymisation cuts (`unlink`: a foreign key set to null), so an
   * anonymised person is tied to no dwelling on any path.
   */
  erasure: { by: readonly Audience[]; jobs: readonly Job[]; unlink: readonly { type: string; foreignKey: string }[] };
  /**
   * Every text, JSON and array column that holds no personal data, as `table.column`, with why.
   * With the personal fields this covers every such column of every entity (a test walks them), so
   * a new column is personal or explained, never silently neither.
   */
  nonPersonal: Record<string, string>;
  /**
   * Columns of no person's data that an anonymised copy still replaces, as `table.column` → the
   * category of the personal value they repeat (an organisation's name is its disclosures'
   * recipient name, which is free text): no source value survives the copy.
   */
  copyReplaces: Record<string, string>;
}
