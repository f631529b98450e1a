import type { DataSource, QueryRunner } from 'typeorm';
import { randomUUID } from 'node:crypto';
import { maskValue } from '../../privacy/masking/anonymize';
import { quoteIdent } from '../../privacy/read/sql';
import { maskingPlan, MaskedColumn, MaskingPlan } from '../../privacy/masking/masking-plan';
import { Replacements } from './replacements';
import { LookAlikes } from './look-alikes';
import { compiled } from '../../privacy/policy/compiled';
import { policy } from '../../privacy/policy/policy';

/**
 * The tables in foreign-key order. Checked against the database and the entity metadata on every
 * run: a table missing here (or listed after a table that references it) stops the copy.
 */
export const COPY_ORDER = [
  'organization', 'dwelling', 'tenant', 'consent_record', 'lease', 'work_order', 'renovation_project', 'renovation_project_dwelling',
  'arrears_case', 'nuisance_case', 'invoice', 'disclosure', 'notification', 'data_subject_request', 'recipient_notice', 'audit_event',
  'audit_event_subject', 'audit_retirement', 'audit_retired_anchor', 'privacy_statement_version',
] as const;

export const DEFAULT_BATCH_SIZE = 2000;

/**
 * Tables whose rows the copy leaves out. The audit trail records who read which tenant: a copy of it
 * would carry the employees' accounts and the reading history over into a test environment.
 */
const NOT_COPIED: ReadonlySet<string> = new Set(['audit_event', 'audit_event_subject', 'audit_retirement', 'audit_retired_anchor']);

/**
 * Tables the target's own triggers fill from the rows copied into it: never copied, or a source
 * name would reach the copy through them (the distinct names a search walks).
 */
const DERIVED: ReadonlySet<string> = new Set(['tenant_search_value']);

/** The copy was refused before anything was written (exit code 2 of `npm run anonymize`). */
export class CopyRefusedError extends Error {}

/** The target already holds rows: nothing is copied, so nothing is overwritten or mixed. */
export class TargetNotEmptyError extends CopyRefusedError {
  constructor(readonly counts: Record<string, number>) {
    super(
      'target database is not empty (' +
        Object.entries(counts).map(([t, n]) => `${t}: ${n} rows`).join(', ') +
        '); an anonymised copy only goes into an empty database',
    );
  }
}

export interface CopyOptions {
  batchSize?: number;
  log?: (line: string) => void;
}

export interface TableReport {
  table: string;
  rows: number;
  batches: number;
  /** Personal columns whose values were replaced: `replaced` by a drawn look-alike, or by their declared masking. */
  masked: { column: string; strategy: string }[];
  /** Personal columns kept by declaration. */
  kept: string[];
  ms: number;
}

export interface CopyReport {
  tables: TableReport[];
  rows: number;
  /** Sequences set past the copied ids, as `sequence = next value`. */
  sequences: string[];
  ms: number;
}

export interface ColumnInfo {
  name: string;
  type: string;
  generated: boolean;
  identityAlways: boolean;
}

export interface TableInfo {
  name: string;
  columns: ColumnInfo[];
  primaryKey: string[];
  references: string[];
}

export type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

/**
 * Runs `fn` on one connection in a read-only REPEATABLE READ transaction: every table is read from
 * the same snapshot, so a copy taken while the source is in use is consistent (no row referring to
 * a row the copy lacks). On the embedded database the transaction holds other connections back.
 */
export async function withSnapshot<T>(dataSource: DataSource, fn: (snapshot: QueryRunner) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      return await fn(runner);
    } finally {
      // Read only: nothing to keep, and a failed ROLLBACK must not hide the error that ended `fn`.
      await runner.query('ROLLBACK').catch(() => undefined);
    }
  } finally {
    await runner.release();
  }
}

/**
 * Copies `source` into `target` anonymised (POLICY.md "Anonymised test data"): every stored personal
 * value replaced by a drawn look-alike of its category (or, without one, by its declared masking),
 * every id new (consistently remapped), the audit trail left out.
 * The target is migrated first and must hold no rows; the copy is one transaction on the target, so
 * a failure leaves it without copied rows. Pass `snapshot` (from {@link withSnapshot}) to read more
 * from the same snapshot afterwards; otherwise one is taken once the target is ready.
 */
export async function copyAnonymized(
  source: DataSource,
  target: DataSource,
  options: CopyOptions = {},
  snapshot?: QueryRunner,
): Promise<CopyReport> {
  const started = Date.now();
  const log = options.log ?? (() => undefined);
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError('batchSize must be a positive integer');
  const plan = maskingPlan(source);

  // Nothing is migrated in a database that holds rows: a refused target stays as it was.
  await refuseNonEmpty((sql) => target.query(sql), await existingTables((sql) => target.query(sql)));
  const applied = await target.runMigrations({ transaction: 'each' });
  if (applied.length) log(`target: applied migrations ${applied.map((m) => m.name).join(', ')}`);

  const copy = async (snap: QueryRunner) => {
    const read: Query = (sql, params) => snap.query(sql, params);
    const tables = await describeTables(read);
    checkTables(tables, await describeTables((sql, p) => target.query(sql, p)), source, plan);
    return copyTables(tables, plan, batchSize, read, target, log);
  };
  const { tables, sequences } = snapshot ? await copy(snapshot) : await withSnapshot(source, copy);
  for (const table of COPY_ORDER) await target.query(`ANALYZE ${quoteIdent(table)}`);
  const report: CopyReport = { tables, rows: tables.reduce((n, r) => n + r.rows, 0), sequences, ms: Date.now() - started };
  log(summaryLine(report));
  return report;
}

/** Every table in order, then the sequences, in one transaction on the target. */
async function copyTables(
  tables: Map<string, TableInfo>,
  plan: MaskingPlan,
  batchSize: number,
  read: Query,
  target: DataSource,
  log: (line: string) => void,
): Promise<{ tables: TableReport[]; sequences: string[] }> {
  const writer = target.createQueryRunner();
  await writer.connect();
  const reports: TableReport[] = [];
  const sequences: string[] = [];
  try {
    await writer.query('BEGIN');
    const write: Query = (sql, params) => writer.query(sql, params);
    await refuseNonEmpty(write, COPY_ORDER);
    const ids = new IdMap();
    const replacements = new Replacements();
    const lookAlikes = new LookAlikes();
    for (const name of COPY_ORDER) {
      const report = await copyTable(tables.get(name)!, plan, ids, { replacements, lookAlikes }, batchSize, read, write);
      reports.push(report);
      log(progressLine(report));
    }
    for (const table of COPY_ORDER) sequences.push(...(await resetSequences(tables.get(table)!, write)));
    await writer.query('COMMIT');
  } catch (error) {
    await writer.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await writer.release();
  }
  return { tables: reports, sequences };
}

export function progressLine(r: TableReport): string {
  const masked = r.masked.length
    ? `${r.masked.length} personal column${r.masked.length === 1 ? '' : 's'} masked (${r.masked.map((m) => `${m.column}: ${m.strategy}`).join(', ')})`
    : 'no personal columns masked';
  const kept = r.kept.length ? `, ${r.kept.length} kept by declaration (${r.kept.join(', ')})` : '';
  return `${r.table}: ${r.rows} rows, ${masked}${kept} [${r.ms} ms]`;
}

export function summaryLine(r: CopyReport): string {
  const masked = r.tables.reduce((n, t) => n + t.masked.length, 0);
  const inTables = r.tables.filter((t) => t.masked.length).length;
  const seq = r.sequences.length ? `; sequences: ${r.sequences.join(', ')}` : '';
  return (
    `anonymised copy done: ${r.rows} rows in ${r.tables.length} tables, ${masked} personal columns masked in ` +
    `${inTables} table${inTables === 1 ? '' : 's'}, in ${(r.ms / 1000).toFixed(1)} s${seq}`
  );
}

async function copyTable(
  table: TableInfo,
  plan: MaskingPlan,
  ids: IdMap,
  { replacements, lookAlikes }: { replacements: Replacements; lookAlikes: LookAlikes },
  batchSize: number,
  read: Query,
  write: Query,
): Promise<TableReport> {
  const started = Date.now();
  const personal: MaskedColumn[] = [
    ...(plan.get(table.name) ?? []),
    ...Object.entries(policy.copyReplaces).filter(([path]) => path.startsWith(`${table.name}.`)).map(([path, category]) => {
      if (!Replacements.knows(category)) throw new Error(`copyReplaces ${path}: no replacement for ${category}`);
      return { field: path, column: path.slice(table.name.length + 1), masking: { strategy: 'null' } as const, category, leaseBound: false };
    }),
  ];
  // Per column, once: a drawn replacement, a look-alike of a kept date or amount, or the declared masking.
  const personalColumns = personal.map((c) => {
    const lookAlike = replacedBy(c) === 'keep' ? LookAlikes.kindOf(table.columns.find((col) => col.name === c.column)?.type ?? '') : undefined;
    return { ...c, lookAlike, strategy: lookAlike ? 'look-alike' : replacedBy(c) };
  });
  // Whom a row is about: one shift for all of a person's dates (the source's id, before it is remapped).
  const subjectColumn = compiled.masking.find((m) => m.table === table.name)?.subjectColumn ?? table.primaryKey[0];
  const report = (rows: number, batches: number): TableReport => ({
    table: table.name, rows, batches,
    masked: personalColumns.filter((c) => c.strategy !== 'keep').map((c) => ({ column: c.column, strategy: c.strategy })),
    kept: personalColumns.filter((c) => c.strategy === 'keep').map((c) => c.column),
    ms: Date.now() - started,
  });
  if (NOT_COPIED.has(table.name)) return report(0, 0);
  const t = quoteIdent(table.name);
  const pk = table.primaryKey.map(quoteIdent);
  const pkTypes = table.primaryKey.map((c) => table.columns.find((col) => col.name === c)!.type);
  const uuidColumns = table.columns.filter((c) => c.type === 'uuid').map((c) => c.name);
  const uuidArrays = table.columns.filter((c) => c.type === 'uuid[]').map((c) => c.name);

  // The row as JSON, and its primary key as text for the next page (the source's, not the remapped one).
  // The row is aliased: a column named like its table would otherwise stand for the whole row.
  const select = [`to_jsonb(copy_row)::text AS "row"`, ...pk.map((c, i) => `copy_row.${c}::text AS "k${i}"`)].join(', ');
  const ofRow = (c: string) => `copy_row.${c}`;
  const after = `(${pk.map(ofRow).join(', ')}) > (${pkTypes.map((type, i) => `$${i + 1}::${type}`).join(', ')})`;
  const page = (cursor: string[] | null) =>
    read(
      `SELECT ${select} FROM ${t} AS copy_row ${cursor ? `WHERE ${after}` : ''} ORDER BY ${pk.map(ofRow).join(', ')} LIMIT ${batchSize}`,
      cursor ?? [],
    );

  const columns = table.columns.filter((c) => !c.generated).map((c) => quoteIdent(c.name)).join(', ');
  const overriding = table.columns.some((c) => c.identityAlways) ? ' OVERRIDING SYSTEM VALUE' : '';
  const insert = `INSERT INTO ${t} (${columns})${overriding} SELECT ${columns} FROM jsonb_populate_recordset(NULL::${t}, $1::jsonb)`;

  const anonymised = (json: string): Record<string, unknown> => {
    const row = JSON.parse(json) as Record<string, unknown>;
    const person = String(row[subjectColumn] ?? '');
    for (const c of uuidColumns) if (typeof row[c] === 'string') row[c] = ids.of(row[c] as string);
    for (const c of uuidArrays) if (Array.isArray(row[c])) row[c] = (row[c] as string[]).map((id) => ids.of(id));
    for (const c of personalColumns) {
      const value = row[c.column];
      if (value === null || value === undefined) continue;
      if (c.strategy === 'replaced') row[c.column] = replacements.draw(c.category, c.part, value);
      else if (c.lookAlike) row[c.column] = lookAlikes.of(c.lookAlike, value, person);
      else row[c.column] = maskValue(c.masking, value);
    }
    return row;
  };

  let rows = 0;
  let batches = 0;
  let next: Promise<any[]> | null = page(null);
  while (next) {
    const batch: any[] = await next;
    // Read the next page while this one is written.
    next = batch.length === batchSize ? page(table.primaryKey.map((_c, i) => batch[batch.length - 1][`k${i}`])) : null;
    next?.catch(() => undefined); // awaited next round; handled here too should this write fail first
    if (!batch.length) break;
    await write(insert, [JSON.stringify(batch.map((r) => anonymised(r.row)))]);
    rows += batch.length;
    batches++;
  }
  return report(rows, batches);
}

/** How the copy replaces a personal column: a drawn look-alike, or its declared masking. */
function replacedBy(c: MaskedColumn): string {
  // The copy keeps an end that is set (`endNow` ends only what is still open, which a copy need not).
  return Replacements.knows(c.category) ? 'replaced' : c.masking.strategy === 'endNow' ? 'keep' : c.masking.strategy;
}

/**
 * Every id in the copy is new: the same source id gets the same random id in every table and
 * column, so references still join, and no person keeps their source id.
 */
export class IdMap {
  private readonly ids = new Map<string, string>();
  of(id: string): string {
    let mapped = this.ids.get(id);
    if (!mapped) this.ids.set(id, (mapped = randomUUID()));
    return mapped;
  }
}

/** Sets every sequence owned by a column of the table past the copied values, so the copy can append. */
async function resetSequences(table: TableInfo, write: Query): Promise<string[]> {
  const done: string[] = [];
  for (const column of table.columns) {
    const [{ seq }] = await write('SELECT pg_get_serial_sequence($1, $2) AS seq', [quoteIdent(table.name), column.name]);
    if (!seq) continue;
    const [{ next }] = await write(
      `SELECT setval($1, COALESCE(max(${quoteIdent(column.name)}), 0) + 1, false)::text AS next FROM ${quoteIdent(table.name)}`,
      [seq],
    );
    done.push(`${seq} = ${next}`);
  }
  return done;
}

async function existingTables(query: Query): Promise<string[]> {
  const rows = await query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
  );
  const names = new Set(rows.map((r) => r.name as string));
  return COPY_ORDER.filter((t) => names.has(t));
}

/** Refuses when any of the tables holds a row, naming them with their counts. */
async function refuseNonEmpty(query: Query, tables: readonly string[]): Promise<void> {
  if (!tables.length) return;
  const [counts] = await query(
    `SELECT ${tables.map((t) => `(SELECT count(*) FROM ${quoteIdent(t)})::int AS ${quoteIdent(t)}`).join(', ')}`,
  );
  const filled = Object.fromEntries(Object.entries(counts as Record<string, number>).filter(([, n]) => n > 0));
  if (Object.keys(filled).length) throw new TargetNotEmptyError(filled);
}

/** Tables, columns, primary keys and references of the current schema, from the system catalog. */
export async function describeTables(query: Query): Promise<Map<string, TableInfo>> {
  const columns = await query(`
    SELECT c.relname AS "table", a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type",
           a.attgenerated <> '' AS "generated", a.attidentity = 'a' AS "identityAlways"
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY c.relname, a.attnum`);
  const keys = await query(`
    SELECT c.relname AS "table", a.attname AS "name"
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
    WHERE n.nspname = current_schema() AND i.indisprimary AND NOT c.relispartition
    ORDER BY c.relname, k.ord`);
  const references = await query(`
    SELECT c.relname AS "table", r.relname AS "references"
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class r ON r.oid = k.confrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND k.contype = 'f' AND NOT c.relispartition`);
  const tables = new Map<string, TableInfo>();
  for (const c of columns) {
    const table: TableInfo = tables.get(c.table) ?? { name: c.table, columns: [], primaryKey: [], references: [] };
    table.columns.push({ name: c.name, type: c.type, generated: c.generated, identityAlways: c.identityAlways });
    tables.set(c.table, table);
  }
  for (const k of keys) tables.get(k.table)?.primaryKey.push(k.name);
  for (const r of references) tables.get(r.table)?.references.push(r.references);
  return tables;
}

/**
 * Fails unless the declared order names exactly the tables of the database and the entities (the
 * migrations table aside), every table comes after the tables it references and has a primary key,
 * source and target have the same columns, and every masked column exists.
 */
export function checkTables(source: Map<string, TableInfo>, target: Map<string, TableInfo>, dataSource: DataSource, plan: MaskingPlan): void {
  const migrationsTable = dataSource.options.migrationsTableName ?? 'migrations';
  const order: readonly string[] = COPY_ORDER;
  const problems: string[] = [];
  const known = new Set([
    ...source.keys(),
    ...dataSource.entityMetadatas.map((m) => m.tableName),
  ]);
  known.delete(migrationsTable);
  for (const t of known) if (!order.includes(t) && !DERIVED.has(t)) problems.push(`table ${t} is not in the copy order`);
  for (const t of order) {
    const s = source.get(t);
    if (!s) {
      problems.push(`table ${t} of the copy order is not in the source database`);
      continue;
    }
    if (!s.primaryKey.length) problems.push(`table ${t} has no primary key to page by`);
    for (const ref of s.references) {
      if (ref !== t && !(order.indexOf(ref) < order.indexOf(t))) problems.push(`table ${t} references ${ref}, which is not copied before it`);
    }
    const columnsOf = (info?: TableInfo) => (info?.columns ?? []).map((c) => `${c.name} ${c.type}`).sort().join(', ');
    if (columnsOf(s) !== columnsOf(target.get(t))) {
      problems.push(`table ${t} differs between source (${columnsOf(s)}) and target (${columnsOf(target.get(t)) || 'absent'})`);
    }
  }
  for (const [t, columns] of plan) {
    for (const c of columns) {
      if (!source.get(t)?.columns.some((col) => col.name === c.column)) problems.push(`${c.field}: no column ${t}.${c.column} in the source`);
    }
  }
  if (problems.length) throw new Error(`cannot copy: ${problems.join('; ')}`);
}
