import type { DataSource } from 'typeorm';
import { catalogOf, storedColumnOf } from '../read/catalog';
import { compiled } from '../policy/compiled';
import type { Masking } from '../policy/policy-types';

/** One stored personal field: the column that holds it and the strategy its declaration names. */
export interface MaskedColumn {
  /** `Type.field` in the policy. */
  field: string;
  column: string;
  masking: Masking;
  /** The field's data category: what an anonymised copy writes in its place. */
  category: string;
  /** For a field built from several columns (an address), which part this column is (its entity property). */
  part?: string;
  /** Kept by an erasure while a lease runs. */
  leaseBound: boolean;
}

/** Per table, every personal field stored in one of its columns, `keep` included (so it can be reported). */
export type MaskingPlan = Map<string, MaskedColumn[]>;

/**
 * The masking of an anonymised copy, derived from the policy and the catalog only: every personal
 * field of every table-backed type that the catalog maps to a column, and the columns a resolved
 * field declares it is built from (a dwelling's address). Other resolved and computed fields are
 * stored in another table (or nowhere) and are masked, or kept, by that table's declarations.
 */
export function maskingPlan(dataSource: DataSource): MaskingPlan {
  const catalog = catalogOf(dataSource);
  const plan: MaskingPlan = new Map();
  for (const { type, table, steps } of compiled.masking) {
    const sources = catalog.get(type);
    if (!sources) throw new Error(`policy type ${type}: not in the catalog`);
    const columns = plan.get(table) ?? [];
    const add = (column: MaskedColumn) => {
      const same = columns.find((c) => c.column === column.column);
      if (same && JSON.stringify(same.masking) !== JSON.stringify(column.masking)) {
        throw new Error(`${table}.${column.column}: ${same.field} and ${column.field} declare different maskings`);
      }
      if (!same) columns.push(column);
    };
    for (const step of steps) {
      const source = sources.get(step.field);
      if (source?.kind !== 'column') continue;
      add({ field: step.path, column: source.column, masking: step.masking, category: step.category, leaseBound: step.leaseBound });
    }
    for (const f of compiled.tableOf.get(type)!.personal) {
      for (const part of f.rule.columns ?? []) {
        add({ field: f.path, column: storedColumnOf(dataSource, type, part), masking: f.personal!.masking, category: f.personal!.category, part, leaseBound: f.leaseBound });
      }
    }
    if (columns.length) plan.set(table, columns);
  }
  return plan;
}

/** The columns whose values change in the copy (every strategy but `keep`). */
export function maskedColumns(plan: MaskingPlan, table: string): MaskedColumn[] {
  return (plan.get(table) ?? []).filter((c) => c.masking.strategy !== 'keep');
}
