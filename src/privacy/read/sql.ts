import type { Viewer } from '../../platform/auth/viewer';
import { rowScope, tableRule } from '../policy/access';
import { policy } from '../policy/policy';
import type { RowScope } from '../policy/policy-types';

/** Collects positional parameters while SQL text is assembled. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const SCOPE_PARAMS = { tenantId: (v: Viewer) => v.tenantId, orgId: (v: Viewer) => v.orgId } as const;

/**
 * The row scope of `type` for the viewer as a WHERE fragment, or null when the role reaches no row.
 * A parameter the viewer lacks binds NULL, which matches nothing.
 */
export function scopeWhere(type: string, viewer: Viewer, params: SqlParams): { sql: string; scope: RowScope } | null {
  const scope = rowScope(type, viewer.role);
  if (!scope) return null;
  const sql = scope.where.replace(/(?<![:\w]):(tenantId|orgId)\b/g, (_m, name: keyof typeof SCOPE_PARAMS) =>
    params.add(SCOPE_PARAMS[name](viewer) ?? null),
  );
  const { table, subjectColumn } = tableRule(type);
  const restricted = subjectColumn && !policy.restriction.exempt.includes(viewer.audience)
    ? ` AND NOT EXISTS (SELECT 1 FROM tenant restricted WHERE restricted.id = ${table}.${quoteIdent(subjectColumn)} AND restricted.restricted)`
    : '';
  return { sql: `(${sql}${restricted})`, scope };
}

export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/i.test(name)) throw new Error(`unsafe identifier ${name}`);
  return `"${name}"`;
}

/** LIKE pattern matching `term` anywhere, with its wildcards escaped. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
