import type { EntityManager } from 'typeorm';
import type { Viewer } from '../../platform/auth/viewer';
import type { AppContext } from '../context';
import { tableRule } from '../policy/access';
import { ScopedReader, type Row } from '../read/scoped-reader';
import { quoteIdent, scopeWhere, SqlParams } from '../read/sql';

/**
 * Locks one row for a write, inside the caller's row scope from the policy (the same WHERE the
 * scoped reader applies). Returns the requested columns, or null when the row is missing or out of
 * scope: the two look the same. Columns are database column names; the values stay server-side.
 */
export async function lockInScope(
  m: EntityManager, viewer: Viewer, type: string, id: string, columns: readonly string[],
): Promise<Record<string, any> | null> {
  const { table } = tableRule(type);
  const params = new SqlParams();
  const scope = scopeWhere(type, viewer, params);
  if (!scope) return null;
  const list = ['id', ...columns].map((c) => `${table}.${quoteIdent(c)}`).join(', ');
  const rows = await m.query(
    `SELECT ${list} FROM ${table} AS ${table} WHERE ${table}.id = ${params.add(id)} AND ${scope.sql} FOR UPDATE`,
    params.values,
  );
  return rows[0] ?? null;
}

/**
 * One write: `work` runs in one transaction and returns the id of the row to answer with; after the
 * commit that row is read through a scoped reader of the caller, so the response shows only what the
 * caller may read. A fresh reader: the request's own one may hold the row as it was before the write
 * (its loads are cached per request). (The embedded database is one session: nothing inside `work`
 * may use another connection, so the read waits for the commit.)
 */
export async function writeThenRead(
  ctx: AppContext, type: string, work: (m: EntityManager) => Promise<string>,
): Promise<Row | null> {
  const id = await ctx.dataSource.transaction(work);
  return new ScopedReader(ctx.dataSource, ctx.viewer).byId(type, id);
}
