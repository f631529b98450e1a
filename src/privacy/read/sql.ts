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
  return { sql: `(${sql}${restricted})`, scope: scope.rule };
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
