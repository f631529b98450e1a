import type { DataSource } from 'typeorm';
import { compiled } from '../policy/compiled';
import { policy } from '../policy/policy';
import { catalogOf, storedColumnOf } from './catalog';

/** Column types that can carry what a person wrote or is: text, JSON, and arrays of anything. */
const TEXT_TYPES = new Set(['text', 'varchar', 'character varying', 'char', 'character', 'citext', 'json', 'jsonb', 'simple-json', 'simple-array', 'enum']);

export interface ColumnDeclarations {
  /** `table.column` → the personal field (`Type.field`) that declares it. */
  personal: Map<string, string>;
  /** `table.column` → why it holds no personal data. */
  nonPersonal: Map<string, string>;
  /** Text, JSON or array columns of an entity that neither declares. */
  undeclared: string[];
  /** Declared both personal and non-personal. */
  both: string[];
  /** `nonPersonal` entries naming no column of any entity. */
  stale: string[];
}

/**
 * Holds every text, JSON and array column of every entity against the policy: each is stored
 * personal data of a declared field (with its category, masking and source) or declared
 * non-personal with a reason. What is neither would escape masking, the export and the register.
 */
export function columnDeclarations(dataSource: DataSource): ColumnDeclarations {
  const catalog = catalogOf(dataSource);
  const personal = new Map<string, string>();
  for (const t of compiled.tables) {
    for (const f of t.personal) {
      const source = catalog.get(t.name)?.get(f.name);
      if (source?.kind === 'column') personal.set(`${t.table}.${source.column}`, f.path);
      for (const part of f.rule.columns ?? []) personal.set(`${t.table}.${storedColumnOf(dataSource, t.name, part)}`, f.path);
    }
  }
  const nonPersonal = new Map(Object.entries(policy.nonPersonal as Record<string, string>));
  const all = new Set<string>();
  const undeclared: string[] = [];
  for (const meta of dataSource.entityMetadatas) {
    for (const column of meta.columns) {
      const name = `${meta.tableName}.${column.databaseName}`;
      all.add(name);
      const type = typeof column.type === 'string' ? column.type : '';
      if (!(column.isArray || TEXT_TYPES.has(type))) continue;
      if (!personal.has(name) && !nonPersonal.has(name)) undeclared.push(name);
    }
  }
  return {
    personal,
    nonPersonal,
    undeclared: undeclared.sort(),
    both: [...nonPersonal.keys()].filter((c) => personal.has(c)).sort(),
    stale: [...nonPersonal.keys()].filter((c) => !all.has(c)).sort(),
  };
}
