/**
 * Reading the policy: the questions every enforcement point asks, answered from the compiled index
 * of the one declaration. Literal type and field names are checked by the compiler (`Known`).
 */
import type { Viewer } from '../../platform/auth/viewer';
import { Audience, Role } from '../../platform/auth/audiences';
import { compiled, CompiledField, CompiledTable, CompiledType, FieldOf, Known, PolicyType, TableType } from './compiled';
import { FieldRule, RowScope, STRUCTURAL } from './policy-types';

/** Stamped by the scoped reader on every row it returns: the row's type and whether its purpose runs. */
export const GRANT = Symbol('privacy.grant');
export interface Grant {
  type: string;
  open: boolean;
  /** The tenant the row is about, or the tenants (`subjectsThrough`), for the audit trail. */
  subject?: string | readonly string[];
}

/** The grant a row was stamped with; undefined for anything else (a primitive has none either). */
export function grantOf(row: unknown): Grant | undefined {
  return (row as { [GRANT]?: Grant } | null | undefined)?.[GRANT];
}

/**
 * A plain assignment: `Object.defineProperty` costs a runtime call per row (2% of a 25-row page's
 * CPU). The symbol stays out of JSON, `Object.keys` and `Object.entries`; a spread copy carries it,
 * which gives the copy the rights of the row it copies, and the field rules check the grant's type.
 */
export function stamp<T extends object>(row: T, grant: Grant): T {
  (row as { [GRANT]?: Grant })[GRANT] = grant;
  return row;
}

/** The compiled rule of a type by a name known only at run time (a GraphQL schema walk); STRUCTURAL or undefined otherwise. */
export function typeRule(type: string): CompiledType | typeof STRUCTURAL | undefined {
  return compiled.types.get(type);
}

/** The rule of a table-backed type; throws for anything else, so a typo cannot open a table. */
export function tableRule<T extends string>(type: T & Known<T, TableType>): CompiledTable {
  const rule = compiled.tableOf.get(type);
  if (!rule) throw new Error(`policy declares no table for type ${type}`);
  return rule;
}

/** A declared field by names known only at run time; undefined when the policy does not name it. */
export function declaredField(type: string, field: string): CompiledField | undefined {
  const rule = compiled.types.get(type);
  return rule === undefined || rule === STRUCTURAL ? undefined : rule.field.get(field);
}

export function fieldRule<T extends string, F extends string>(type: T & Known<T, PolicyType>, field: F & Known<F, FieldOf<T>>): FieldRule | undefined {
  return declaredField(type, field)?.rule;
}

export function rowScope<T extends string>(type: T & Known<T, TableType>, role: Role | null): RowScope | undefined {
  return role ? tableRule<string>(type).scopes.get(role)?.rule : undefined;
}

/** Fields of a type the audience may read; on a closed row, only those that are not personal. */
export function readableFields<T extends string>(type: T & Known<T, TableType>, audience: Audience, open: boolean): FieldOf<T>[] {
  return [...tableRule<string>(type).readable(audience, open)] as FieldOf<T>[];
}

/** Fields `search` may match on for this audience: declared searchable and readable. */
export function searchableFields<T extends string>(type: T & Known<T, TableType>, audience: Audience): FieldOf<T>[] {
  return [...tableRule<string>(type).searchable(audience)] as FieldOf<T>[];
}

export function canRead<T extends string, F extends string>(audience: Audience, type: T & Known<T, PolicyType>, field: F & Known<F, FieldOf<T>>): boolean {
  return declaredField(type, field)?.readers.has(audience) ?? false;
}

/** May this audience change `type.field` (POLICY.md "Writes": the field's declared writers)? */
export function canWrite<T extends string, F extends string>(audience: Audience, type: T & Known<T, PolicyType>, field: F & Known<F, FieldOf<T>>): boolean {
  return declaredField(type, field)?.writers.has(audience) ?? false;
}
