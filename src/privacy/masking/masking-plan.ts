import type { DataSource } from 'typeorm';
import { catalogOf } from '../read/catalog';
import { policy } from '../policy/policy';
import { Masking, STRUCTURAL } from '../policy/policy-types';

/** One stored personal field: the column that holds it and the strategy its declaration names. */
export interface MaskedColumn {
  /** `Type.field` in the policy. */
  field: string;
  column: string;
  masking: Masking;
}

/** Per table, every personal field stored in one of its columns, `keep` included (so it can be reported). */
export type MaskingPlan = Map<string, MaskedColumn[]>;

/**
 * The masking of an anonymised copy, derived from the policy and the catalog only: every personal
 * field of every table-backed type that the catalog maps to a column. Resolved and computed fields
 * are stored in another table (or nowhere) and are masked, or kept, by that table's declarations.
 */
export function maskingPlan(dataSource: DataSource): MaskingPlan {
  const catalog = catalogOf(dataSource);
  const plan: MaskingPlan = new Map();
  for (const [type, rule] of Object.entries(policy.types)) {
    if (rule === STRUCTURAL || !rule.table) continue;
    const sources = catalog.get(type);
    if (!sources) throw new Error(`policy type ${type}: not in the catalog`);
    for (const [field, f] of Object.entries(rule.fields)) {
      const source = sources.get(field);
      if (!f.personal || source?.kind !== 'column') continue;
      const columns = plan.get(rule.table) ?? [];
      const same = columns.find((c) => c.column === source.column);
      if (same && JSON.stringify(same.masking) !== JSON.stringify(f.personal.masking)) {
        throw new Error(`${rule.table}.${source.column}: ${same.field} and ${type}.${field} declare different maskings`);
      }
      if (!same) columns.push({ field: `${type}.${field}`, column: source.column, masking: f.personal.masking });
      plan.set(rule.table, columns);
    }
  }
  return plan;
}

/** The columns whose values change in the copy (every strategy but `keep`). */
export function maskedColumns(plan: MaskingPlan, table: string): MaskedColumn[] {
  return (plan.get(table) ?? []).filter((c) => c.masking.strategy !== 'keep');
}
