/**
 * The policy compiled once into an index: every question an enforcement point, the documentation or
 * a test asks of the declaration is a lookup here, so the declaration is walked in one place only.
 *
 * The types of the declaration carry through: `PolicyType`, `TableType` and `FieldOf<T>` are the
 * literal names policy.ts declares, so a call naming a type or a field the policy lacks does not compile.
 */
import { Audience, ORGANISATION_ROLES, OrganisationRole, Role } from '../../platform/auth/audiences';
import { policy } from './policy';
import { RECIPIENTS } from './processing';
import { FieldRule, Job, Masking, PersonalData, RowScope, SearchMatch, STRUCTURAL, SubjectIndex, SubjectsThrough, TypeRule } from './policy-types';
import { and, col, inValues, narrowExists, renameTable, ScopeExpr } from './scope-expr';

type Declared = typeof policy.types;

/** Every type the policy names (GraphQL object types). */
export type PolicyType = keyof Declared & string;
/** Types whose fields are open to whoever reached the object. */
export type StructuralType = { [K in PolicyType]: Declared[K] extends typeof STRUCTURAL ? K : never }[PolicyType];
/** Types with field rules of their own. */
export type RuledType = Exclude<PolicyType, StructuralType>;
/** Types backed by a table: every read of them goes through a row scope. */
export type TableType = { [K in PolicyType]: Declared[K] extends { table: string } ? K : never }[PolicyType];
/** The fields the policy declares for `T`. */
export type FieldOf<T extends string> = T extends RuledType ? keyof Declared[T]['fields'] & string : never;
/** The join columns (`keys`) declared for `T`: identifiers the reader always selects. */
export type KeyOf<T extends string> = T extends TableType ? (Declared[T] extends { keys: readonly (infer K)[] } ? K & string : never) | 'id' : never;
/** `Type.field` of every declared field. */
export type FieldPath = { [T in RuledType]: `${T}.${FieldOf<T>}` }[RuledType];

/**
 * A name the compiler checks when it is a literal: `N` must then be one of `K`. A name only known at
 * run time (a GraphQL schema walk, a grant) is a plain `string` and passes; the index refuses it there.
 */
export type Known<N extends string, K extends string> = string extends N ? string : N extends K ? N : K;

export interface CompiledField {
  type: string;
  name: string;
  /** `Type.field` */
  path: string;
  rule: FieldRule;
  readers: ReadonlySet<Audience>;
  writers: ReadonlySet<Audience>;
  personal?: PersonalData;
  resolved: boolean;
  /** How `search` matches the field, if it may. */
  searchable?: SearchMatch;
  leaseBound: boolean;
}

export interface CompiledScope {
  role: Role;
  rule: RowScope;
  where: ScopeExpr;
  /** `openWhile` as an expression over the type's table; absent when the row's purpose always runs. */
  openWhile?: ScopeExpr;
}

export interface CompiledType {
  name: string;
  rule: TypeRule;
  /** Set for table-backed types (a CompiledTable). */
  table?: string;
  fields: readonly CompiledField[];
  field: ReadonlyMap<string, CompiledField>;
  personal: readonly CompiledField[];
}

export interface CompiledTable extends CompiledType {
  table: string;
  /** Per role; a role absent here reaches no row. */
  scopes: ReadonlyMap<Role, CompiledScope>;
  subjectColumn?: string;
  subjectsThrough?: SubjectsThrough;
  subjectIndex?: SubjectIndex;
  searchValues?: string;
  keys: readonly string[];
  /** Personal fields stored in a column of this table (not resolved elsewhere): what masking changes or keeps. */
  storedPersonal: readonly CompiledField[];
  /** Columns that writes set but no field serves, by entity property, with who may write them. */
  stored: ReadonlyMap<string, { writers: ReadonlySet<Audience>; jobs: ReadonlySet<Job>; why: string }>;
  /** Field names the audience reads on an open row (`open`) and on a closed one (`closed`: no personal field). */
  readable(audience: Audience, open: boolean): readonly string[];
  /** Field names `search` may match on for the audience: searchable and readable. */
  searchable(audience: Audience): readonly string[];
}

/** A personal field as a masking step: which field, how, whether a running lease keeps it. */
export interface MaskingStep {
  path: string;
  field: string;
  masking: Masking;
  category: string;
  leaseBound: boolean;
  /** The key naming another person the value is also about (`PersonalData.alsoAbout`). */
  alsoAbout?: string;
}

function compileField(type: string, name: string, rule: FieldRule): CompiledField {
  return {
    type, name, path: `${type}.${name}`, rule,
    readers: new Set(rule.readers), writers: new Set(rule.writers ?? []),
    personal: rule.personal, resolved: rule.resolved === true, searchable: rule.searchable,
    leaseBound: rule.personal?.leaseBound === true,
  };
}

function compileType(name: string, rule: TypeRule): CompiledType | CompiledTable {
  const fields = Object.entries(rule.fields).map(([field, f]) => compileField(name, field, f));
  const base: CompiledType = {
    name, rule, fields, field: new Map(fields.map((f) => [f.name, f])), personal: fields.filter((f) => f.personal),
  };
  if (!rule.table) return base;
  const table = rule.table;
  const scopes = new Map<Role, CompiledScope>();
  // In declaration order: the documentation lists the scopes as the policy does.
  for (const [role, s] of Object.entries(rule.scopes ?? {}) as [Role, RowScope | undefined][]) {
    if (!s) continue;
    const openWhile = s.openWhile && inValues(col(`${table}.${s.openWhile.field}`), s.openWhile.values);
    scopes.set(role, { role, rule: s, where: s.where, ...(openWhile ? { openWhile } : {}) });
  }
  const perAudience = (pick: (f: CompiledField, a: Audience) => boolean) => {
    const cache = new Map<Audience, readonly string[]>();
    return (a: Audience) => {
      let names = cache.get(a);
      if (!names) cache.set(a, (names = fields.filter((f) => pick(f, a)).map((f) => f.name)));
      return names;
    };
  };
  const openRead = perAudience((f, a) => f.readers.has(a));
  const closedRead = perAudience((f, a) => f.readers.has(a) && !f.personal);
  // A resolved field is searched through its computed search (src/privacy/read/computed-columns.ts).
  const searchable = perAudience((f, a) => f.searchable !== undefined && f.readers.has(a));
  return {
    ...base,
    table,
    scopes,
    subjectColumn: rule.subjectColumn,
    subjectsThrough: rule.subjectsThrough,
    subjectIndex: rule.subjectIndex,
    searchValues: rule.searchValues,
    keys: rule.keys ?? [],
    storedPersonal: base.personal.filter((f) => !f.resolved),
    stored: new Map(Object.entries(rule.stored ?? {}).map(([name, c]) => [name, { writers: new Set(c.writers), jobs: new Set(c.jobs ?? []), why: c.why }])),
    readable: (a, open) => (open ? openRead(a) : closedRead(a)),
    searchable,
  };
}

const isTable = (t: CompiledType): t is CompiledTable => t.table !== undefined;

/** The types whose rows an outside organisation can reach about a tenant. */
const DISCLOSED_TYPES = ['Tenant', 'Dwelling', 'Lease', 'ArrearsCase', 'WorkOrder'] as const satisfies readonly TableType[];

function compile() {
  const types = new Map<string, CompiledType | CompiledTable | typeof STRUCTURAL>();
  for (const [name, rule] of Object.entries(policy.types as Record<string, TypeRule | typeof STRUCTURAL>)) {
    types.set(name, rule === STRUCTURAL ? STRUCTURAL : compileType(name, rule));
  }
  const ruled = [...types.values()].filter((t): t is CompiledType => t !== STRUCTURAL);
  const tables = ruled.filter(isTable);
  const tableOf = new Map(tables.map((t) => [t.name, t]));
  const allFields = ruled.flatMap((t) => t.fields);
  const disclosed = Object.fromEntries(ORGANISATION_ROLES.map((role) => [role, DISCLOSED_TYPES.flatMap((type) => {
    // A type the recipient has no row scope on discloses nothing, whatever its field rules say.
    const t = tableOf.get(type)!;
    return t.scopes.has(role) ? t.personal.filter((f) => f.readers.has(role)).map((f) => f.path) : [];
  })])) as unknown as Record<OrganisationRole, readonly string[]>;
  return {
    /** Every declared type by name, in declaration order; structural ones as STRUCTURAL. */
    types: types as ReadonlyMap<string, CompiledType | CompiledTable | typeof STRUCTURAL>,
    /** Types with field rules, in declaration order. */
    ruled: ruled as readonly CompiledType[],
    /** Table-backed types, in declaration order. */
    tables: tables as readonly CompiledTable[],
    tableOf: tableOf as ReadonlyMap<string, CompiledTable>,
    /** The entry points: who may call each query and mutation. */
    entryPoints: ruled.filter((t) => t.name === 'Query' || t.name === 'Mutation').flatMap((t) => t.fields),
    /** Every declared field of every ruled type. */
    fields: allFields as readonly CompiledField[],
    /** Every personal field, `Type.field` in declaration order. */
    personal: allFields.filter((f) => f.personal) as readonly CompiledField[],
    /** Personal fields an erasure keeps while a lease runs. */
    leaseBound: allFields.filter((f) => f.leaseBound) as readonly CompiledField[],
    /** Per outside organisation, the personal fields a disclosure to it hands over (`Type.field`). */
    disclosed,
    /** Audiences that still reach a restricted tenant's rows (art. 18). */
    restrictionExempt: new Set<Audience>(policy.restriction.exempt) as ReadonlySet<Audience>,
    /**
     * Audiences that no longer reach the rows of a tenant whose objection to their purpose was upheld
     * (art. 21): the purpose's staff, and the outside recipients the register names for it (a bailiff
     * for ARREARS), who read through this API for that purpose.
     */
    objectable: new Map<Audience, string>(policy.objection.purposes.flatMap((p) => [
      [`staff:${p}` as Audience, p] as const,
      ...RECIPIENTS.flatMap((r) => (r.purpose === p && r.audience ? [[r.audience as Audience, p] as const] : [])),
    ])) as ReadonlyMap<Audience, string>,
    /** Audiences that may mask every personal field about a tenant (erasure, art. 17). */
    erasureBy: new Set<Audience>(policy.erasure.by) as ReadonlySet<Audience>,
    /** Jobs that mask every personal field about a tenant (retention). */
    erasureJobs: new Set<Job>(policy.erasure.jobs) as ReadonlySet<Job>,
    /** Per table about tenants (a subject column), the personal columns' masking steps in declaration order. */
    masking: tables.map((t) => ({
      type: t.name, table: t.table, subjectColumn: t.subjectColumn,
      steps: t.storedPersonal.map((f): MaskingStep => ({
        path: f.path, field: f.name, masking: f.personal!.masking, category: f.personal!.category, leaseBound: f.leaseBound,
        ...(f.personal!.alsoAbout ? { alsoAbout: f.personal!.alsoAbout } : {}),
      })),
    })),
  };
}

/** The compiled policy: built once, when this module loads. */
export const compiled = compile();

/**
 * The rows of `t` whose personal fields the role reads, as one expression: the scope, its
 * `openWhile`, and for a scope reached through another row (`inheritsOpen`) the `openWhile` of the
 * rows it is reached through. Undefined when the role reaches no row. What the test oracle and the
 * benchmark's peer derive; the reader itself decides openness per load from the parent's grant.
 */
export function openRowsWhere(t: CompiledTable, role: Role): ScopeExpr | undefined {
  const scope = t.scopes.get(role);
  if (!scope) return undefined;
  let where = scope.openWhile ? and(scope.where, scope.openWhile) : scope.where;
  if (scope.rule.inheritsOpen) {
    for (const parent of compiled.tables) {
      const openWhile = parent.scopes.get(role)?.openWhile;
      if (openWhile) where = narrowExists(where, parent.table, (alias) => renameTable(openWhile, parent.table, alias));
    }
  }
  return where;
}

export function isPolicyType(name: string): name is PolicyType {
  return compiled.types.has(name);
}

export function isTableType(name: string): name is TableType {
  return compiled.tableOf.has(name);
}
