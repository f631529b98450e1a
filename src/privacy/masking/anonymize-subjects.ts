import type { EntityManager } from 'typeorm';
import { anonymizeKey, maskValue } from './anonymize';
import { compiled } from '../policy/compiled';
import { maskedColumns, maskingPlan } from './masking-plan';
import type { Masking } from '../policy/policy-types';
import { quoteIdent, SqlParams } from '../read/sql';

interface Target {
  /** `Type.field` */
  path: string;
  column: string;
  masking: Masking;
  leaseBound: boolean;
}

/** Per table about tenants: the stored personal columns to mask and how, from the policy. */
export function maskTargets(m: EntityManager): { table: string; subjectColumn: string; targets: Target[] }[] {
  const plan = maskingPlan(m.connection);
  return compiled.masking.flatMap(({ table, subjectColumn }) => {
    if (!subjectColumn) return [];
    const targets = maskedColumns(plan, table).map((c) => ({ path: c.field, column: c.column, masking: c.masking, leaseBound: c.leaseBound }));
    return targets.length ? [{ table, subjectColumn, targets }] : [];
  });
}

export interface AnonymizeOptions {
  /** Leave the fields the policy marks lease-bound (an erasure while a lease runs). */
  keepLeaseBound?: boolean;
  key?: string;
}

/**
 * Masks, set-based and in the caller's transaction, every stored personal field of every row about
 * these tenants by the strategy the policy declares (null, fixed text, keyed hash). `keep` fields
 * stay. One UPDATE per table (plus one SELECT where a hash needs the current value). Returns the
 * field paths masked.
 */
export async function anonymizeSubjects(m: EntityManager, tenantIds: readonly string[], options: AnonymizeOptions = {}): Promise<string[]> {
  const key = options.key ?? anonymizeKey();
  const masked: string[] = [];
  if (!tenantIds.length) return masked;
  for (const plan of maskTargets(m)) {
    const { table, subjectColumn } = plan;
    const targets = plan.targets.filter((t) => !(options.keepLeaseBound && t.leaseBound));
    if (!targets.length) continue;
    masked.push(...targets.map((t) => t.path));
    const params = new SqlParams();
    const ids = params.add(tenantIds);
    const hashed = targets.filter((t) => t.masking.strategy === 'hash');
    const sets = targets
      .filter((t) => t.masking.strategy !== 'hash')
      .map((t) => `${quoteIdent(t.column)} = ${params.add(maskValue(t.masking, null, key))}`);
    let from = '';
    if (hashed.length) {
      const rows: Record<string, unknown>[] = await m.query(
        `SELECT id, ${hashed.map((t) => quoteIdent(t.column)).join(', ')} FROM ${table} WHERE ${quoteIdent(subjectColumn)} = ANY($1::uuid[])`,
        [tenantIds],
      );
      const values = rows.map((row) => ({
        id: row.id,
        ...Object.fromEntries(hashed.map((t, i) => [`h${i}`, maskValue(t.masking, row[t.column], key)])),
      }));
      from = ` FROM jsonb_to_recordset(${params.add(JSON.stringify(values))}::jsonb) AS masked(id uuid, ${hashed.map((_, i) => `h${i} text`).join(', ')})`;
      sets.push(...hashed.map((t, i) => `${quoteIdent(t.column)} = masked.h${i}`));
    }
    const join = from ? ` AND ${table}.id = masked.id` : '';
    await m.query(`UPDATE ${table} SET ${sets.join(', ')}${from} WHERE ${table}.${quoteIdent(subjectColumn)} = ANY(${ids}::uuid[])${join}`, params.values);
  }
  return masked;
}
