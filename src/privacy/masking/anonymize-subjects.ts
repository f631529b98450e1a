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
export function alsoAboutTargets(m: EntityManager): (Target & { table: string; keyColumn: string })[] {
  return compiled.masking.flatMap(({ type, table, steps }) => steps.flatMap((step) => (step.alsoAbout ? [{
    table, keyColumn: storedColumnOf(m.connection, type, step.alsoAbout),
    path: step.path, column: storedColumnOf(m.connection, type, step.field), masking: step.masking, leaseBound: step.leaseBound,
  }] : [])));
}

export interface AnonymizeOptions {
  /** Leave the fields the policy marks lease-bound, and the links to the dwelling (an erasure while a lease runs). */
  keepLeaseBound?: boolean;
}

/**
 * Masks, set-based and in the caller's transaction, every stored personal field of every row about
 * these tenants by the strategy the policy declares (null or fixed text: nothing derived from the
 * value; an end still open ends now). `keep` fields stay. A full anonymisation also cuts the declared
 * links to a dwelling, so the person is tied to no address on any path. A field also about another
 * person (`alsoAbout`) is masked in their rows too. One UPDATE per table and key. Returns the field
 * paths masked.
 */
export async function anonymizeSubjects(m: EntityManager, tenantIds: readonly string[], options: AnonymizeOptions = {}): Promise<string[]> {
  if (!tenantIds.length) return [];
  const unlinks = options.keepLeaseBound ? [] : unlinkTargets(m);
  // One UPDATE per table and the key that names the person: the row's subject, or another person it is also about.
  const updates = new Map<string, { table: string; keyColumn: string; sets: { path: string; column: string; masking: Masking }[] }>();
  const add = (table: string, keyColumn: string, path: string, column: string, masking: Masking) => {
    const key = `${table}|${keyColumn}`;
    const entry = updates.get(key) ?? { table, keyColumn, sets: [] };
    entry.sets.push({ path, column, masking });
    updates.set(key, entry);
  };
  const masks = (t: Target) => !(options.keepLeaseBound && t.leaseBound);
  for (const { table, subjectColumn, targets } of maskTargets(m)) {
    for (const t of targets) if (masks(t)) add(table, subjectColumn, t.path, t.column, t.masking);
  }
  for (const u of unlinks) add(u.table, u.subjectColumn, u.path, u.column, { strategy: 'null' });
  for (const t of alsoAboutTargets(m)) if (masks(t)) add(t.table, t.keyColumn, t.path, t.column, t.masking);
  const masked = new Set<string>();
  for (const { table, keyColumn, sets } of updates.values()) {
    for (const s of sets) masked.add(s.path);
    const params = new SqlParams();
    // `endNow` is the transaction's time where the column is unset; every other strategy a value.
    const assignments = sets.map((s) => `${quoteIdent(s.column)} = ${s.masking.strategy === 'endNow' ? `COALESCE(${quoteIdent(s.column)}, now())` : params.add(maskValue(s.masking, null))}`);
    const ids = params.add(tenantIds);
    await m.query(`UPDATE ${table} SET ${assignments.join(', ')} WHERE ${table}.${quoteIdent(keyColumn)} = ANY(${ids}::uuid[])`, params.values);
  }
  return [...masked];
}
