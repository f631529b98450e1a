import { DataSource, EntityMetadata } from 'typeorm';
import { COMPUTED_COLUMNS, COMPUTED_COLUMNS_CLOSING } from './computed-columns';
import { compiled } from '../policy/compiled';
import type { TypeRule } from '../policy/policy-types';

/** How a policy field of a table-backed type is read: a column, an SQL expression, or by a resolver. */
/** `computed`: `closing` is the SQL for an audience the restriction does not exempt, where it differs. */
export type FieldSource = { kind: 'column'; column: string } | { kind: 'computed'; sql: string; closing?: string } | { kind: 'relation' };

export type Catalog = Map<string, Map<string, FieldSource>> & {
  /** Whether a type's primary key is a uuid or a number (cursors are checked against it). */
  idKind(type: string): 'uuid' | 'number';
};

const catalogs = new WeakMap<DataSource, Catalog>();

/**
 * Maps every policy field to where it is stored, from the TypeORM metadata. Fails closed: a field
 * the policy names as stored that has no column, or a table the entities do not know, is an error
 * at start-up rather than a silently empty or leaking read.
 */
export function catalogOf(dataSource: DataSource): Catalog {
  let catalog = catalogs.get(dataSource);
  if (catalog) return catalog;
  const idKinds = new Map<string, 'uuid' | 'number'>();
  catalog = Object.assign(new Map<string, Map<string, FieldSource>>(), {
    idKind: (type: string) => idKinds.get(type) ?? 'uuid',
  });
  for (const rule of compiled.tables) {
    const type = rule.name;
    const meta = entityOf(dataSource, type, rule.table);
    const sources = new Map<string, FieldSource>();
    const idType = meta.primaryColumns[0]?.type;
    idKinds.set(type, idType === 'uuid' ? 'uuid' : 'number');
    const columnOf = (property: string) => {
      const column = meta.findColumnWithPropertyName(property);
      if (!column) throw new Error(`policy field ${type}.${property}: no column in ${rule.table}`);
      return column.databaseName;
    };
    for (const f of rule.fields) {
      const computed = COMPUTED_COLUMNS[f.path];
      const closing = COMPUTED_COLUMNS_CLOSING[f.path];
      if (!f.resolved) sources.set(f.name, { kind: 'column', column: columnOf(f.name) });
      else sources.set(f.name, computed ? { kind: 'computed', sql: computed, ...(closing ? { closing } : {}) } : { kind: 'relation' });
    }
    for (const key of [...rule.keys, 'id']) {
      if (!sources.has(key)) sources.set(key, { kind: 'column', column: columnOf(key) });
    }
    for (const scope of rule.scopes.values()) {
      const f = scope.rule.openWhile?.field;
      if (f && !sources.has(f)) sources.set(f, { kind: 'column', column: columnOf(f) });
    }
    checkSubject(type, rule.rule, dataSource);
    catalog.set(type, sources);
  }
  catalogs.set(dataSource, catalog);
  return catalog;
}

/** The column of a property of a type's entity (a key or a stored column no field serves). */
export function storedColumnOf(dataSource: DataSource, type: string, property: string): string {
  const rule = compiled.tableOf.get(type);
  if (!rule) throw new Error(`policy declares no table for type ${type}`);
  const column = entityOf(dataSource, type, rule.table).findColumnWithPropertyName(property);
  if (!column) throw new Error(`policy type ${type}: no column ${property} in ${rule.table}`);
  return column.databaseName;
}

/** The entity of a table the policy names for `type`; a table the entities do not know fails the start. */
function entityOf(dataSource: DataSource, type: string, table: string): EntityMetadata {
  const meta = dataSource.entityMetadatas.find((m) => m.tableName === table);
  if (!meta) throw new Error(`policy type ${type}: no entity for table ${table}`);
  return meta;
}

/**
 * Whose data a type's personal fields are is what its reads are audited under, and what a
 * restriction closes: a type with personal fields names exactly one way to find it, and that way
 * must exist in the tables. Otherwise a typo would surface only when a read fails, or reads would be
 * audited without whose data they were.
 */
export function checkSubject(type: string, rule: TypeRule, dataSource: DataSource): void {
  const { subjectColumn, subjectsThrough, table } = rule;
  const fail = (why: string): never => {
    throw new Error(`policy type ${type}: ${why}`);
  };
  const needColumn = (name: string, column: string) => {
    if (!entityOf(dataSource, type, name).findColumnWithDatabaseName(column)) fail(`no column ${column} in ${name}`);
  };
  if (subjectColumn && subjectsThrough) fail('declares both subjectColumn and subjectsThrough; the audit trail needs one subject');
  if (subjectColumn && table) needColumn(table, subjectColumn);
  if (subjectsThrough) for (const column of [subjectsThrough.column, subjectsThrough.key]) needColumn(subjectsThrough.table, column);
  const personal = Object.entries(rule.fields).filter(([, f]) => f.personal).map(([name]) => name);
  if (personal.length && !subjectColumn && !subjectsThrough) {
    fail(`personal fields (${personal.join(', ')}) but no subjectColumn or subjectsThrough: their reads would be audited without whose data they were`);
  }
}
