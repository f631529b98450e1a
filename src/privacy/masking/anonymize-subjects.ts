import type { EntityManager } from 'typeorm';
import { maskValue } from './anonymize';
import { compiled } from '../policy/compiled';
import { policy } from '../policy/policy';
import { maskedColumns, maskingPlan } from './masking-plan';
import type { Masking } from '../policy/policy-types';
import { storedColumnOf } from '../read/catalog';
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

/** The foreign keys to a dwelling that an anonymisation sets to null (the policy's `erasure.unlink`), as table and column. */
export function unlinkTargets(m: EntityManager): { path: string; table: string; subjectColumn: string; column: string }[] {
  return policy.erasure.unlink.map(({ type, foreignKey }) => {
    const rule = compiled.tableOf.get(type);
    if (!rule?.subjectColumn) throw new Error(`erasure.unlink: ${type} is no table about a tenant`);
    return { path: `${type}.${foreignKey}`, table: rule.table, subjectColumn: rule.subjectColumn, column: storedColumnOf(m.connection, type, foreignKey) };
  });
}

/**
 * The personal columns that are also about the person another key names (a reporter's statement):
 * masked when that person is anonymised, as when the row's own subject is.
 */
export function alsoAboutTargets(m: EntityManager): { table: string; keyColumn: string; targets: Target[] }[] {
  return compiled.masking.flatMap(({ type, table, steps }) => {
    const byKey = new Map<string, Target[]>();
    for (const step of steps) {
      if (!step.alsoAbout) continue;
      const keyColumn = storedColumnOf(m.connection, type, step.alsoAbout);
      const target = { path: step.path, column: storedColumnOf(m.connection, type, step.field), masking: step.masking, leaseBound: step.leaseBound };
      byKey.set(keyColumn, [...(byKey.get(keyColumn) ?? []), target]);
    }
    return [...byKey].map(([keyColumn, targets]) => ({ table, keyColumn, targets }));
  });
}

export interface AnonymizeOptions {
  /** Leave the fields the policy marks lease-bound, and the links to the dwelling (an erasure while a lease runs). */
  keepLeaseBound?: boolean;
}

/**
 * Masks, set-based and in the caller's transaction, every stored personal field of every row about
 * these tenants by the strategy the policy declares (null or fixed text: nothing derived from the
 * value; an end still open ends now). `keep` fields stay. A full anonymisation also cuts the declared links to a dwelling, so the
 * person is tied to no address on any path. One UPDATE per table. Returns the field paths masked.
 */
export async function anonymizeSubjects(m: EntityManager, tenantIds: readonly string[], options: AnonymizeOptions = {}): Promise<string[]> {
  const masked: string[] = [];
  if (!tenantIds.length) return masked;
  const unlinks = options.keepLeaseBound ? [] : unlinkTargets(m);
  // `endNow` is the transaction's time where the column is unset; every other strategy a value.
  const tables = new Map<string, { subjectColumn: string; sets: { path: string; column: string; value: unknown; endNow: boolean }[] }>();
  const add = (table: string, subjectColumn: string, path: string, column: string, masking: Masking) => {
    const entry = tables.get(table) ?? { subjectColumn, sets: [] };
    entry.sets.push({ path, column, value: masking.strategy === 'endNow' ? undefined : maskValue(masking, null), endNow: masking.strategy === 'endNow' });
    tables.set(table, entry);
  };
  for (const { table, subjectColumn, targets } of maskTargets(m)) {
    for (const t of targets) if (!(options.keepLeaseBound && t.leaseBound)) add(table, subjectColumn, t.path, t.column, t.masking);
  }
  for (const u of unlinks) add(u.table, u.subjectColumn, u.path, u.column, { strategy: 'null' });
  for (const [table, { subjectColumn, sets }] of tables) {
    masked.push(...sets.map((s) => s.path));
    const params = new SqlParams();
    const assignments = sets.map((s) => `${quoteIdent(s.column)} = ${s.endNow ? `COALESCE(${quoteIdent(s.column)}, now())` : params.add(s.value)}`);
    const ids = params.add(tenantIds);
    await m.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${table}.${quoteIdent(subjectColumn)} = ANY(${ids}::uuid[])`, params.values);
  }
  for (const { table, keyColumn, targets } of alsoAboutTargets(m)) {
    const kept = targets.filter((t) => !(options.keepLeaseBound && t.leaseBound));
    if (!kept.length) continue;
    const params = new SqlParams();
    const assignments = kept.map((t) => `${quoteIdent(t.column)} = ${params.add(maskValue(t.masking, null))}`);
    const ids = params.add(tenantIds);
    await m.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${table}.${quoteIdent(keyColumn)} = ANY(${ids}::uuid[])`, params.values);
    for (const t of kept) if (!masked.includes(t.path)) masked.push(t.path);
  }
  return masked;
}
