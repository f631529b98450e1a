import type { Viewer } from '../../platform/auth/viewer';
import { tableRule } from '../policy/access';
import { compiled, Known, TableType } from '../policy/compiled';
import type { RowScope } from '../policy/policy-types';
import { ScopeParam, toSql } from '../policy/scope-expr';

/** Collects positional parameters while SQL text is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SCOPE_PARAMS: Record<ScopeParam, (v: Viewer) => string | undefined> = { tenantId: (v) => v.tenantId, orgId: (v) => v.orgId };

/**
 * The row scope of `type` for the viewer as a WHERE fragment, or null when the role reaches no row.
 * A parameter the viewer lacks binds NULL, which matches nothing.
 */
export function scopeWhere<T extends string>(type: T & Known<T, TableType>, viewer: Viewer, params: SqlParams): { sql: string; scope: RowScope } | null {
  const rule = tableRule<string>(type);
  const scope = viewer.role ? rule.scopes.get(viewer.role) : undefined;
  if (!scope) return null;
  const sql = toSql(scope.where, (name) => params.add(SCOPE_PARAMS[name](viewer) ?? null));
  const { table, subjectColumn } = rule;
  const restricted = subjectColumn && !compiled.restrictionExempt.has(viewer.audience)
    ? ` AND ${restrictionSql(table, subjectColumn)}`
    : '';
  const objected = compiled.objectable.get(viewer.audience);
  const objection = subjectColumn && objected ? ` AND ${objectionSql(table, subjectColumn, objected)}` : '';
  return { sql: `(${sql}${restricted}${objection})`, scope: scope.rule };
}

/**
 * An upheld objection (art. 21): the row's tenant has not objected to `purpose`. The purpose is a
 * literal of the policy (checked), so each purpose's statement matches its partial index.
 */
export function objectionSql(table: string, subjectColumn: string, purpose: string): string {
  if (!/^[A-Z_]+$/.test(purpose)) throw new Error(`unsafe purpose ${purpose}`);
  return `NOT EXISTS (SELECT 1 FROM tenant objected WHERE objected.id = ${table}.${quoteIdent(subjectColumn)} AND '${purpose}' = ANY (objected.objected_purposes))`;
}

/** The restriction (art. 18): the row's tenant is not restricted. */
export function restrictionSql(table: string, subjectColumn: string): string {
  return `NOT EXISTS (SELECT 1 FROM tenant restricted WHERE restricted.id = ${table}.${quoteIdent(subjectColumn)} AND restricted.restricted)`;
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `"${name}"`;
}

/** LIKE pattern matching `term` anywhere, with its wildcards escaped. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
