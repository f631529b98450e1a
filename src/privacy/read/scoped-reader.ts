import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import type { Viewer } from '../../platform/auth/viewer';
import { canRead, Grant, readableFields, searchableFields, stamp, tableRule, grantOf } from '../policy/access';
import { BadUserInputError, ForbiddenError } from '../../platform/errors';
import { catalogOf, FieldSource } from './catalog';
import { containsPattern, quoteIdent, scopeWhere, SqlParams } from './sql';
import { identifierConditions, searchCondition, SearchField, usesTrigrams } from './search';
import { COMPUTED_SEARCHES } from './computed-columns';
import type { AuditTrail } from '../../platform/audit/audit-trail';
import { recordPersonalReads } from '../rules/record-reads';
import { paramlessSql } from '../policy/scope-expr';
import type { RowScope, SubjectIndex } from '../policy/policy-types';
import { isUuid } from '../../platform/values/ids';
import { PREPARE } from '../../platform/db/prepared-client';
import { queryWithCustomPlan } from '../../platform/db/custom-plan';
import type { Requested } from './requested';
import { compiled, type FieldOf, type KeyOf, type Known, type TableType } from '../policy/compiled';

export type Row = { id: string; [field: string]: unknown };

/**
 * Whether a load is reached from an open row, a closed one, or from the root of the query; from a
 * parent, also whose data the parent is (its subject), so a row about nobody in particular (a
 * dwelling) reached through it is attributed along the path followed.
 */
export type Reach = { from: 'root' } | { from: 'parent'; open: boolean; subject?: Grant['subject'] };
export const ROOT: Reach = { from: 'root' };
export const through = (parent: object): Reach => {
  const grant = grantOf(parent);
  return { from: 'parent', open: grant?.open === true, subject: grant?.subject };
};

export interface Filter {
  field: string;
  values: readonly unknown[];
  /**
   * `in` (default): the field is one of the values; `contains`: the array field holds them all;
   * `atLeast` / `before`: at or after / before the first value; `unset` / `set`: the field is null /
   * not null (values unused).
   */
  op?: 'in' | 'contains' | 'atLeast' | 'before' | 'unset' | 'set';
}

/** A many-to-many link table: rows of the type whose id is `target` where `key` matches. */
export interface Link {
  table: string;
  key: string;
  target: string;
}

export interface ListSpec {
  filters?: Filter[];
  /** Free text matched against the fields the policy marks searchable and the caller may read. */
  search?: string;
  orderBy: { fields: string[]; direction: 'ASC' | 'DESC' };
  limit: number;
  /** Keyset pagination: rows after this id in the order above. */
  afterId?: string;
  /** The fields the query asks for (requestedFields); every readable field when absent. */
  fields?: Requested;
}

type OpenMode = 'open' | 'closed' | 'by-row';

type Plan = 'prepared' | 'custom';
// A resolved field can be searched only through a computed search: fail at start, not at a search.
for (const table of compiled.tables) {
  for (const f of table.fields) {
    if (f.searchable !== undefined && f.resolved && (f.searchable === 'contains' || !COMPUTED_SEARCHES[f.path])) {
      throw new Error(`${f.path} is searchable and resolved, but has no computed search of an identifier`);
    }
  }
}

/**
 * How a search finds its rows: through the type's distinct values (`values`), the trigram indexes
 * (`trigrams`), or by walking the order's index (a term too short for trigrams).
 */
type SearchPath = 'values' | 'trigrams' | 'walk';

function searchPath(type: string, spec: Pick<ListSpec, 'search'>): SearchPath | undefined {
  if (spec.search === undefined) return undefined;
  if (!usesTrigrams(spec.search)) return 'walk';
  return tableRule<string>(type).searchValues !== undefined ? 'values' : 'trigrams';
}

/**
 * A search over the table is planned for its term: a generic plan cannot tell a rare term from a
 * common one. The walk of distinct values has one plan for every term (index look-ups on the small
 * values table, then a page per value), so it is prepared like any other read.
 */
const planFor = (path: SearchPath | undefined): Plan => (path === undefined || path === 'values' ? 'prepared' : 'custom');

const signatures = new WeakMap<Requested, string>();
/** A loader's share of its cache key: the requested fields, or `*` for every readable one. */
function signature(fields: Requested | undefined): string {
  if (!fields) return '*';
  let sig = signatures.get(fields);
  if (sig === undefined) signatures.set(fields, (sig = [...fields].sort().join(',')));
  return sig;
}

/**
 * Rows as selected (with `__open` and `__subject`, see selectList) made rows for the resolvers:
 * stamped with their grant. The two columns are emptied, not deleted: a delete would turn every
 * row into a slow dictionary-mode object for all the field reads that follow.
 */
export function stampRows(type: string, rows: Row[]): Row[] {
  for (const row of rows) {
    const open = row.__open === true;
    const subject = (row.__subject ?? undefined) as Grant['subject'];
    row.__open = undefined;
    row.__subject = undefined;
    stamp(row, { type, open, subject });
  }
  return rows;
}

export interface ReaderOptions {
  /** Told of every statement the reader sends, before it is sent (how the benchmark counts a request's reads). */
  onStatement?: (sql: string) => void;
  /**
   * The request's audit trail: a look-up by a personal value (a search, a filter) is a read of that
   * value, recorded for each tenant it found.
   */
  trail?: AuditTrail;
}

/**
 * The only way resolvers read rows. Every statement applies the caller's row scope as a WHERE
 * clause, selects only the columns the caller's audience may read (a closed row: no personal
 * column), and stamps each row with its grant for the field rules. Loads are batched per request.
 */
export class ScopedReader {
  private readonly loaders = new Map<string, DataLoader<string, Row[]>>();
  private readonly onStatement: ((sql: string) => void) | undefined;
  private readonly trail: AuditTrail | undefined;

  constructor(readonly dataSource: DataSource, readonly viewer: Viewer, options: ReaderOptions = {}) {
    this.onStatement = options.onStatement;
    this.trail = options.trail;
  }

  /** One row by id, or null when it is missing or out of scope: the two look the same. */
  async byId<T extends string>(type: T & Known<T, TableType>, id: string, reach: Reach = ROOT, fields?: Requested): Promise<Row | null> {
    const rows = await this.loader(type, 'id', fields).load(`${this.openMode(type, reach)}|${id}`);
    return rows[0] ? this.attributed(type, rows[0], reach) : null;
  }

  /** Rows whose `keyField` equals `key` (children of a parent), batched across parents. */
  async byKey<T extends string, K extends string>(type: T & Known<T, TableType>, keyField: K & Known<K, FieldOf<T> | KeyOf<T>>, key: string, reach: Reach, orderBy?: ListSpec['orderBy'], fields?: Requested): Promise<Row[]> {
    return this.attributedAll(type, await this.loader(type, keyField, fields, orderBy).load(`${this.openMode(type, reach)}|${key}`), reach);
  }

  /** Rows linked to `key` through a link table (the dwellings of a project), batched. */
  async byLink(type: string, link: Link, key: string, reach: Reach, fields?: Requested): Promise<Row[]> {
    return this.attributedAll(type, await this.loader(type, `${link.table}.${link.key}`, fields, undefined, link).load(`${this.openMode(type, reach)}|${key}`), reach);
  }

  /**
   * A row whose subjects are found through another table (a dwelling's residents), reached from a
   * parent that is about a tenant (a lease, a work order): its reads are that tenant's, not the
   * residents'. A copy, since one loaded row can serve several parents. Reached from the root or
   * from a row about nobody (a builder's project), the residents stay its subjects.
   */
  private attributed(type: string, row: Row, reach: Reach): Row {
    if (reach.from !== 'parent' || reach.subject === undefined || !tableRule<string>(type).subjectsThrough) return row;
    const grant = grantOf(row)!;
    return stamp({ ...row }, { ...grant, subject: reach.subject });
  }

  private attributedAll(type: string, rows: Row[], reach: Reach): Row[] {
    return reach.from === 'parent' && reach.subject !== undefined && tableRule<string>(type).subjectsThrough ? rows.map((r) => this.attributed(type, r, reach)) : rows;
  }

  /** A page of in-scope rows. */
  async list<T extends string>(type: T & Known<T, TableType>, spec: ListSpec): Promise<Row[]> {
    return (await this.page<T>(type, spec)).rows;
  }

  /**
   * A page of in-scope rows and, with `countBound`, the count `count` gives (the same WHERE without
   * the cursor, up to the bound) from the same statement: one round trip, not two. The count rides
   * on the page's rows, so an empty page after a cursor leaves it undefined (count it apart).
   */
  async page<T extends string>(type: T & Known<T, TableType>, spec: ListSpec, countBound?: number): Promise<{ rows: Row[]; count?: number }> {
    const params = new SqlParams();
    const path = searchPath(type, spec);
    // A walk of the distinct values does the search itself: it is then not part of the WHERE.
    const from = this.from(type, params, path === 'values' ? { filters: spec.filters } : spec, true);
    if (!from) return { rows: [], count: countBound === undefined ? undefined : 0 };
    const open = this.openExpression(type, this.openMode(type, ROOT));
    const order = this.orderFields(type, spec.orderBy.fields);
    const dir = spec.orderBy.direction;
    const where = [...from.where];
    // Ordered by id alone through a subject index: by the index's copy of the id, so the walk of
    // that one subject's entries in order is the plan (the cursor bounds it too).
    const ordered = (f: string) => (f === 'id' && order.length === 1 && from.indexedId ? from.indexedId : this.column(type, f));
    if (spec.afterId) {
      // The cursor's row is looked up inside the caller's scope too: a cursor naming a row out of
      // scope gives the same empty page as one naming a missing row.
      const cursorScope = scopeWhere<string>(type, this.viewer, params)!;
      const cols = order.map((f) => this.column(type, f)).join(', ');
      where.push(`(${order.map(ordered).join(', ')}) ${dir === 'ASC' ? '>' : '<'} (SELECT ${cols} FROM ${from.table} AS ${from.table}
        WHERE ${from.table}.id = ${params.add(this.checkedId(type, spec.afterId))} AND ${cursorScope.sql})`);
    }
    const orderSql = order.map((f) => `${ordered(f)} ${dir}`).join(', ');
    // Uncorrelated, the count is evaluated once for the statement (an InitPlan), not per row.
    // The count's WHERE is the page's without the cursor: the same FROM, scope and parameters.
    const counted = countBound === undefined ? '' : `, (${this.countedSql(type, spec, from, params, countBound)}) AS "__count"`;
    const select = (source: string) => `SELECT ${this.selectList(type, open, spec.fields).columns}${counted} FROM ${source}`;
    let sql: string;
    if (path === 'values' || path === 'trigrams') {
      // Matches first, then the page: walking the order's index until a page of matches is found
      // passes every row that sorts before the term's (a common surname: a quarter of the register).
      const keys = order.map((f, i) => `${ordered(f)} AS o${i}`).join(', ');
      const keyOrder = order.map((_f, i) => `o${i} ${dir}`).join(', ');
      const limit = params.add(spec.limit);
      const matched = path === 'values'
        ? this.valueWalk(type, spec.search!, params, { keys, keyOrder, where, source: from.source, limit })
        // The trigram indexes find the matches, so the cost follows the term's matches, not the table.
        : `SELECT ${from.table}.id AS matched_id, ${keys} FROM ${from.source} WHERE ${where.join(' AND ')}`;
      sql = `WITH matched AS MATERIALIZED (${matched}),
        page AS MATERIALIZED (SELECT matched_id FROM matched ORDER BY ${keyOrder} LIMIT ${limit})
        ${select(`${from.table} AS ${from.table}`)} JOIN page ON page.matched_id = ${from.table}.id ORDER BY ${orderSql}`;
    } else {
      sql = `${select(from.source)} WHERE ${where.join(' AND ')} ORDER BY ${orderSql} LIMIT ${params.add(spec.limit)}`;
    }
    const rows = await this.run(type, sql, params.values, planFor(path));
    this.recordLookUps(type, spec, rows);
    if (countBound === undefined) return { rows };
    const count = rows.length ? (rows[0].__count as number) : spec.afterId ? undefined : 0;
    for (const row of rows) row.__count = undefined; // not deleted: see stampRows
    return { rows, count };
  }

  /**
   * The rows a name search matches, at most `limit` per distinct value, each once: the pattern is
   * matched against the type's table of distinct values (a few thousand names, trigram-indexed), and
   * each matching value's rows are walked in the list's order (`keyOrder`) through the column's
   * index, under the same WHERE (scope, filters, cursor) as the list. A common surname then costs a
   * page of rows, not all its holders. Identifiers are looked up whole beside it.
   */
  private valueWalk(
    type: string, term: string, params: SqlParams,
    q: { keys?: string; keyOrder?: string; where: string[]; source: string; limit: string },
  ): string {
    const rule = tableRule<string>(type);
    const table = rule.table;
    const fields = this.searchFields(type);
    const contains = fields.filter((f) => f.match === 'contains').map((f) => {
      const source = catalogOf(this.dataSource).get(type)?.get(f.field);
      if (source?.kind !== 'column') throw new Error(`searched field ${f.path} has no column`);
      return source.column;
    });
    const selected = `${table}.id AS matched_id${q.keys ? `, ${q.keys}` : ''} FROM ${q.source}`;
    // Unordered (a count), each value's rows are still walked in an index's order, which stops at
    // the limit; each searched column's index continues with the others and the id, and the
    // planner takes a name to be common (migration SearchedNameStatistics), so it does not read
    // every holder of a common name through a bitmap first.
    const walkOrder = q.keyOrder ?? [...contains.map((c) => `${table}.${quoteIdent(c)}`), `${table}.id`].join(', ');
    const rowsWhere = q.where.join(' AND ');
    const branches: string[] = [];
    if (contains.length) {
      const columns = params.add(contains);
      const pattern = params.add(containsPattern(term));
      const values = `(SELECT searched_column, value FROM ${quoteIdent(rule.searchValues!)} WHERE searched_column = ANY(${columns}::text[]) AND value ILIKE ${pattern})`;
      for (const column of contains) {
        branches.push(`SELECT hit.* FROM ${values} AS v CROSS JOIN LATERAL (
          SELECT ${selected} WHERE ${table}.${quoteIdent(column)} = v.value AND ${rowsWhere} ORDER BY ${walkOrder} LIMIT ${q.limit}) AS hit
          WHERE v.searched_column = '${column}'`);
      }
    }
    // One branch per identifier: an OR of index look-ups and a look-up through another table (an
    // address by its postcode) would be a scan of the whole table.
    const identifiers = identifierConditions(fields, term, params);
    for (const condition of identifiers) branches.push(`SELECT ${selected} WHERE ${rowsWhere} AND ${condition}`);
    // UNION: a tenant whose first and last name both match is one match.
    return branches.length ? branches.join(' UNION ') : `SELECT ${selected} WHERE FALSE`;
  }

  /** The personal fields a search or filter matched on, as reads of those fields of the rows it found. */
  private recordLookUps(type: string, spec: ListSpec, rows: Row[]): void {
    if (!this.trail || !rows.length) return;
    const matched = [
      ...(spec.search !== undefined ? searchableFields<string>(type, this.viewer.audience) : []),
      ...(spec.filters ?? []).map((f) => f.field),
    ];
    if (matched.length) for (const row of rows) recordPersonalReads(this.trail, row, matched);
  }

  /**
   * How many in-scope rows match the filters and search — the same WHERE as `list`, without the
   * cursor — counted up to `bound` rows: past it the answer is `bound + 1`, whatever the real number
   * (a count of a million rows scans a million rows).
   */
  async count<T extends string>(type: T & Known<T, TableType>, spec: Pick<ListSpec, 'filters' | 'search'>, bound: number): Promise<number> {
    const params = new SqlParams();
    const path = searchPath(type, spec);
    const from = this.from(type, params, path === 'values' ? { filters: spec.filters } : spec, true);
    if (!from) return 0;
    const [{ n }] = await this.query<{ n: number }>(this.countedSql(type, spec, from, params, bound), params.values, planFor(path));
    return n;
  }

  /**
   * `SELECT count(*) AS n` of the in-scope rows matching, up to `bound + 1`, over `from` as `list`
   * and `count` build it (without the search where the distinct values do it).
   */
  private countedSql(type: string, spec: Pick<ListSpec, 'search'>, from: NonNullable<ReturnType<ScopedReader['from']>>, params: SqlParams, bound: number): string {
    const path = searchPath(type, spec);
    const limit = String(Number(bound) + 1);
    // Through the distinct values, each value's walk stops at the bound too: past it, so is the count.
    const counted = path === 'values'
      ? `SELECT matched_id FROM (${this.valueWalk(type, spec.search!, params, { where: from.where, source: from.source, limit })}) AS matched`
      : `SELECT 1 FROM ${from.source} WHERE ${from.where.join(' AND ')}`;
    return `SELECT count(*)::int AS n FROM (${counted} LIMIT ${limit}) AS counted`;
  }

  /**
   * One loader per relation and set of requested fields, whatever the mix of open and closed
   * parents: its keys are `mode|key`, and one statement serves them all (see loadByKeys).
   */
  private loader(type: string, keyField: string, fields?: Requested, orderBy?: ListSpec['orderBy'], link?: Link): DataLoader<string, Row[]> {
    const cacheKey = `${type}|${keyField}|${orderBy ? `${orderBy.fields.join(',')} ${orderBy.direction}` : ''}|${signature(fields)}`;
    let loader = this.loaders.get(cacheKey);
    if (!loader) {
      loader = new DataLoader((keys) => this.loadByKeys(type, keyField, keys, fields, orderBy, link), { maxBatchSize: 1000 });
      this.loaders.set(cacheKey, loader);
    }
    return loader;
  }

  /**
   * Rows for a batch of `mode|key`s in one statement. Personal columns are selected only for keys
   * reached from an open row (a CASE on the key); a row also asked for from a closed parent is
   * answered to that parent as a copy without them.
   */
  private async loadByKeys(
    type: string, keyField: string, modeKeys: readonly string[], fields?: Requested, orderBy?: ListSpec['orderBy'], link?: Link,
  ): Promise<Row[][]> {
    const asked = modeKeys.map((mk) => {
      const at = mk.indexOf('|');
      return { mode: mk.slice(0, at) as OpenMode, key: mk.slice(at + 1) };
    });
    const params = new SqlParams();
    const from = this.from(type, params, {});
    if (!from) return asked.map(() => []);
    const keyCol = link ? `link.${quoteIdent(link.key)}` : this.column(type, keyField);
    const keysIn = (mode: OpenMode) => [...new Set(asked.filter((a) => a.mode === mode).map((a) => a.key))];
    const openKeys = keysIn('open');
    const byRowKeys = keysIn('by-row');
    const mixed = () => [
      ...(openKeys.length ? [`${keyCol} = ANY(${params.add(openKeys)}::uuid[])`] : []),
      ...(byRowKeys.length ? [`(${keyCol} = ANY(${params.add(byRowKeys)}::uuid[]) AND ${this.openCondition(type)})`] : []),
    ].join(' OR ');
    const allOpen = asked.every((a) => a.mode === 'open');
    const openExpr = allOpen ? 'TRUE' : !openKeys.length && !byRowKeys.length ? 'FALSE' : `(${mixed()})`;
    const join = link ? ` JOIN ${quoteIdent(link.table)} AS link ON link.${quoteIdent(link.target)} = ${from.table}.id` : '';
    const order = orderBy ? ` ORDER BY ${orderBy.fields.map((f) => `${this.column(type, f)} ${orderBy.direction}`).join(', ')}` : '';
    // A batch of keys is a few rows: the row's open state is worked out once for it (see selectList).
    const selected = this.selectList(type, openExpr, fields, true);
    const sql = `SELECT ${keyCol} AS "__key", ${selected.columns} FROM ${from.source}${selected.lateral}${join}
      WHERE ${keyCol} = ANY(${params.add([...new Set(asked.map((a) => a.key))])}::uuid[]) AND ${from.where.join(' AND ')}${order}`;
    const rows = await this.run(type, sql, params.values);
    const byKey = new Map<string, Row[]>();
    for (const row of rows) {
      const key = row.__key as string;
      row.__key = undefined; // not deleted: see stampRows
      const siblings = byKey.get(key);
      if (siblings) siblings.push(row);
      else byKey.set(key, [row]);
    }
    return asked.map(({ mode, key }) => {
      const found = byKey.get(key) ?? [];
      return mode === 'closed' ? found.map((row) => this.closedCopy(type, row)) : found;
    });
  }

  /** The row as a closed parent may see it: no personal field, stamped closed. */
  private closedCopy(type: string, row: Row): Row {
    const grant = grantOf(row)!;
    if (!grant.open) return row;
    const rule = tableRule(type);
    const copy = Object.fromEntries(Object.entries(row).filter(([field]) => !rule.field.get(field)?.personal)) as Row;
    return stamp(copy, { ...grant, open: false });
  }

  /**
   * FROM table + scope + filters + search, or null when the role reaches no row of the type. With
   * `drive`, a list of one subject's rows is driven by the type's subject index (`source`;
   * `indexedId` is its copy of the row id).
   */
  private from(type: string, params: SqlParams, spec: Pick<ListSpec, 'filters' | 'search'>, drive = false) {
    const rule = tableRule(type);
    const table = rule.table;
    const scope = scopeWhere(type, this.viewer, params);
    if (!scope) return null;
    const where = [scope.sql];
    let source = `${table} AS ${table}`;
    let indexedId: string | undefined;
    const index = rule.subjectIndex;
    const subject = drive && index ? this.indexedSubject(index, spec.filters) : undefined;
    if (index && subject !== undefined) {
      const [t, s, r] = [quoteIdent(index.table), quoteIdent(index.subject), quoteIdent(index.row)];
      // The subject's entries in order, each row looked up by its id alone (the partition key as
      // well makes PostgreSQL expect one row and sort the subject's whole list). In a LATERAL that
      // is not folded into the join (OFFSET 0), so the look-up is the plan whatever the statistics
      // say: a month's partition still counted empty while it fills otherwise turns it into a scan
      // of every partition, held in memory and joined 21 times over. The scope still applies to
      // each row found.
      source = `${t} AS subject_index CROSS JOIN LATERAL (SELECT * FROM ${table} AS ${table} WHERE ${table}.id = subject_index.${r} OFFSET 0) AS ${table}`;
      where.unshift(`subject_index.${s} = ${params.add(subject)}::uuid`);
      indexedId = `subject_index.${r}`;
    }
    for (const filter of spec.filters ?? []) {
      this.assertReadable(type, filter.field);
      const col = this.column(type, filter.field);
      where.push(filterSql(col, filter, params));
    }
    if (spec.search !== undefined) {
      // Nothing the caller may read is searchable: the search finds nothing (and binds no parameter).
      where.push(searchCondition(this.searchFields(type), spec.search, params));
    }
    return { table, where, source, indexedId };
  }

  /**
   * The one subject a list is about, if it is: a filter on the indexed field naming one tenant, or,
   * for a tenant, the caller (whose scope on an indexed type is the rows naming them).
   */
  private indexedSubject(index: SubjectIndex, filters: Filter[] | undefined): string | undefined {
    const named = filters?.find((f) => f.field === index.field && f.op === 'contains' && f.values.length === 1);
    if (named) return String(named.values[0]);
    return this.viewer.role === 'tenant' ? this.viewer.tenantId : undefined;
  }

  private openMode(type: string, reach: Reach): OpenMode {
    const scope: RowScope | undefined = tableRule(type).scopes.get(this.viewer.role ?? 'tenant')?.rule;
    if (!scope || !this.viewer.role) return 'closed';
    const parentOpen = reach.from === 'parent' ? reach.open : !scope.inheritsOpen;
    if (!parentOpen) return 'closed';
    return scope.openWhile ? 'by-row' : 'open';
  }

  /** The SQL condition under which a row's personal columns are selected, for a whole statement. */
  private openExpression(type: string, mode: OpenMode): string {
    return mode === 'open' ? 'TRUE' : mode === 'closed' ? 'FALSE' : `(${this.openCondition(type)})`;
  }

  private openCondition(type: string): string {
    const w = tableRule(type).scopes.get(this.viewer.role!)?.rule.openWhile;
    if (!w) return 'TRUE';
    const values = w.values.map((v) => `'${v.replace(/'/g, "''")}'`).join(', ');
    return `${this.column(type, w.field)} IN (${values})`;
  }

  /**
   * The columns to select: those requested that the audience may read, keys and the subject.
   * Personal columns only under `open` (TRUE: always, FALSE: never selected, else a CASE per row);
   * `__open` says which.
   */
  private selectList(type: string, rowOpen: string, requested?: Requested, hoist = false): { columns: string; lateral: string } {
    const rule = tableRule(type);
    const sources = catalogOf(this.dataSource).get(type)!;
    // closedThroughSubjects never turns an open expression into FALSE: the readable fields follow the row's.
    const readable = readableFields(type, this.viewer.audience, rowOpen !== 'FALSE');
    const read = requested ? readable.filter((f) => requested.has(f)) : readable;
    // The residents' state is looked up only when a personal field of the row is read.
    const throughSubjects = read.some((f) => rule.field.get(f)?.personal) ? this.closedThroughSubjects(rule, rowOpen) : rowOpen;
    // With `hoist`, a look-up of the residents is made once per row, in a LATERAL (OFFSET 0 keeps
    // PostgreSQL from folding it back into each column that uses it), not once per personal column.
    const hoisted = hoist && throughSubjects !== rowOpen;
    const open = hoisted ? 'row_open.open' : throughSubjects;
    const lateral = hoisted ? ` CROSS JOIN LATERAL (SELECT ${throughSubjects} AS open OFFSET 0) AS row_open` : '';
    const fields = new Set<string>(['id', ...rule.keys, ...read]);
    const openWhile = rule.scopes.get(this.viewer.role!)?.rule.openWhile?.field;
    if (openWhile) fields.add(openWhile);
    const underOpen = (expr: string) => (open === 'TRUE' ? expr : `CASE WHEN ${open} THEN ${expr} END`);
    const parts: string[] = [];
    let personalSelected = false;
    for (const field of fields) {
      const personal = rule.field.get(field)?.personal !== undefined;
      personalSelected ||= personal;
      const source = sources.get(field);
      if (!source || source.kind === 'relation') continue;
      const expr = this.expression(rule.table!, source);
      parts.push(`${personal ? underOpen(expr) : expr} AS ${quoteIdent(field)}`);
    }
    parts.push(`${open} AS "__open"`);
    if (rule.subjectColumn) parts.push(`${rule.table}.${quoteIdent(rule.subjectColumn)} AS "__subject"`);
    else if (rule.subjectsThrough && personalSelected) {
      // A sub-query per row, so only where the audit trail can need it: open rows whose personal fields are read.
      const s = rule.subjectsThrough;
      const subjects = `ARRAY(SELECT ${s.table}.${quoteIdent(s.column)} FROM ${s.table} WHERE ${s.table}.${quoteIdent(s.key)} = ${rule.table}.id AND ${paramlessSql(s.where)})`;
      parts.push(`${underOpen(subjects)} AS "__subject"`);
    }
    return { columns: parts.join(', '), lateral };
  }

  /**
   * A row about other rows' subjects (a dwelling's address is about its residents) follows them: for
   * an audience the restriction does not exempt, it is closed while one of them is restricted
   * (art. 18) or anonymised, on whatever path it is reached (a builder's project, a lease).
   */
  private closedThroughSubjects(rule: ReturnType<typeof tableRule>, open: string): string {
    const s = rule.subjectsThrough;
    if (!s || open === 'FALSE' || compiled.restrictionExempt.has(this.viewer.audience)) return open;
    const closing = `EXISTS (SELECT 1 FROM ${s.table} JOIN tenant AS subject ON subject.id = ${s.table}.${quoteIdent(s.column)}
      WHERE ${s.table}.${quoteIdent(s.key)} = ${rule.table}.id AND ${paramlessSql(s.where)} AND (subject.restricted OR subject.anonymized_at IS NOT NULL))`;
    return open === 'TRUE' ? `(NOT ${closing})` : `(${open} AND NOT ${closing})`;
  }

  private async run(type: string, sql: string, params: unknown[], plan: Plan = 'prepared'): Promise<Row[]> {
    return stampRows(type, await this.query<Row>(sql, params, plan));
  }

  /** `prepared`: planned once per connection, generically; `custom`: planned for these values. */
  private query<R>(sql: string, params: unknown[], plan: Plan): Promise<R[]> {
    this.onStatement?.(sql);
    return plan === 'prepared' ? this.dataSource.query(sql + PREPARE, params) : queryWithCustomPlan<R>(this.dataSource, sql, params);
  }

  private expression(table: string, source: FieldSource): string {
    if (source.kind === 'column') return `${table}.${quoteIdent(source.column)}`;
    if (source.kind === 'computed') return source.closing && !compiled.restrictionExempt.has(this.viewer.audience) ? source.closing : source.sql;
    throw new Error('a relation has no SQL expression');
  }

  /** The searchable fields the caller reads, each with its column (or computed SQL), match and path. */
  private searchFields(type: string): (SearchField & { field: string })[] {
    const rule = tableRule<string>(type);
    return searchableFields<string>(type, this.viewer.audience)
      .map((f) => ({ field: f, column: this.column(type, f), match: rule.field.get(f)!.searchable!, path: `${type}.${f}` }));
  }

  private column(type: string, field: string): string {
    const source = catalogOf(this.dataSource).get(type)?.get(field);
    if (!source || source.kind === 'relation') throw new Error(`no column for ${type}.${field}`);
    return this.expression(tableRule(type).table, source);
  }

  /** Ordering may only use fields the caller reads; others are dropped, `id` always ends it. */
  private orderFields(type: string, fields: string[]): string[] {
    return [...fields.filter((f) => f !== 'id' && canRead(this.viewer.audience, type, f)), 'id'];
  }

  /** An id of the form the type's key takes (uuid or number); anything else is bad input. */
  private checkedId(type: string, id: string): string {
    const numeric = catalogOf(this.dataSource).idKind(type) === 'number';
    if (numeric ? !/^\d{1,18}$/.test(id) : !isUuid(id)) throw new BadUserInputError('after is not a valid cursor', 'after');
    return id;
  }

  private assertReadable(type: string, field: string): void {
    if (!canRead(this.viewer.audience, type, field)) throw new ForbiddenError('Cannot filter on a field this purpose cannot read');
  }
}

/** One filter as SQL: the field is one of the values, holds them all, or lies at or after / before the first. */
function filterSql(col: string, filter: Filter, params: SqlParams): string {
  switch (filter.op ?? 'in') {
    case 'contains': return `${col} @> ${params.add(filter.values)}`;
    case 'atLeast': return `${col} >= ${params.add(filter.values[0])}`;
    case 'before': return `${col} < ${params.add(filter.values[0])}`;
    case 'in': return `${col} = ANY(${params.add(filter.values)})`;
    case 'unset': return `${col} IS NULL`;
    case 'set': return `${col} IS NOT NULL`;
  }
}
