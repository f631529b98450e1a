/**
 * Reading the policy: the questions every enforcement point asks, answered from the one declaration.
 */
import type { Viewer } from '../../platform/auth/viewer';
import { Audience, Role } from '../../platform/auth/audiences';
import { policy } from './policy';
import { FieldRule, RowScope, STRUCTURAL, TypeRule } from './policy-types';

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

export function stamp<T extends object>(row: T, grant: Grant): T {
  Object.defineProperty(row, GRANT, { value: grant, enumerable: false });
  return row;
}

export function typeRule(type: string): TypeRule | typeof STRUCTURAL | undefined {
  return Object.prototype.hasOwnProperty.call(policy.types, type) ? policy.types[type] : undefined;
}

/** The rule of a table-backed type; throws for anything else, so a typo cannot open a table. */
export function tableRule(type: string): TypeRule & { table: string } {
  const rule = typeRule(type);
  if (!rule || rule === STRUCTURAL || !rule.table) throw new Error(`policy declares no table for type ${type}`);
  return rule as TypeRule & { table: string };
}

export function fieldRule(type: string, field: string): FieldRule | undefined {
  const rule = typeRule(type);
  if (!rule || rule === STRUCTURAL) return undefined;
  return Object.prototype.hasOwnProperty.call(rule.fields, field) ? rule.fields[field] : undefined;
}

export function rowScope(type: string, role: Role | null): RowScope | undefined {
  return role ? tableRule(type).scopes?.[role] : undefined;
}

/** Fields of a type the audience may read; on a closed row, only those that are not personal. */
export function readableFields(type: string, audience: Audience, open: boolean): string[] {
  const rule = tableRule(type);
  return Object.entries(rule.fields)
    .filter(([, f]) => f.readers.includes(audience) && (open || !f.personal))
    .map(([name]) => name);
}

/** Fields `search` may match on for this audience: declared searchable and readable. */
export function searchableFields(type: string, audience: Audience): string[] {
  const rule = tableRule(type);
  return Object.entries(rule.fields)
    .filter(([, f]) => f.searchable && !f.resolved && f.readers.includes(audience))
    .map(([name]) => name);
}

export function canRead(audience: Audience, type: string, field: string): boolean {
  return fieldRule(type, field)?.readers.includes(audience) ?? false;
}

/** May this audience change `type.field` (POLICY.md "Writes": the field's declared writers)? */
export function canWrite(audience: Audience, type: string, field: string): boolean {
  return fieldRule(type, field)?.writers?.includes(audience) ?? false;
}
