import type { EntityManager } from 'typeorm';
import { catalogOf } from '../read/catalog';
import { anonymizeKey, maskValue } from './anonymize';
import { policy } from '../policy/policy';
import { Masking, STRUCTURAL, TypeRule } from '../policy/policy-types';
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
  const catalog = catalogOf(m.connection);
  return Object.entries(policy.types).flatMap(([type, rule]) => {
    if (rule === STRUCTURAL || !(rule as TypeRule).table || !(rule as TypeRule).subjectColumn) return [];
    const r = rule as TypeRule & { table: string; subjectColumn: string };
    const targets = Object.entries(r.fields).flatMap(([field, f]) => {
      const source = catalog.get(type)?.get(field);
      if (!f.personal || f.personal.masking.strategy === 'keep' || source?.kind !== 'column') return [];
      return [{ path: `${type}.${field}`, column: source.column, masking: f.personal.masking, leaseBound: Boolean(f.personal.leaseBound) }];
    });
    return targets.length ? [{ table: r.table, subjectColumn: r.subjectColumn, targets }] : [];
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
