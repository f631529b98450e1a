import type { EntityManager } from 'typeorm';
import { auditSlot, type AuditTrail, writtenPath } from '../../platform/audit/audit-trail';
import { ANONYMOUS, type Viewer } from '../../platform/auth/viewer';
import type { Job } from '../policy/policy-types';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../platform/errors';
import { invalidValue } from '../../platform/values/input';
import type { AppContext } from '../context';
import { anonymizeSubjects, type AnonymizeOptions } from '../masking/anonymize-subjects';
import { tableRule } from '../policy/access';
import { compiled } from '../policy/compiled';
import { catalogOf, storedColumnOf } from '../read/catalog';
import { ScopedReader, type Row } from '../read/scoped-reader';
import { quoteIdent, scopeWhere, SqlParams } from '../read/sql';

/** A value the database sets from the transaction's clock. `offset` is whole units (`1 month`). */
export class DatabaseTime {
  private constructor(readonly sql: string) {}
  static readonly now = new DatabaseTime('now()');
  static fromNow(amount: number, unit: 'day' | 'month' | 'year'): DatabaseTime {
    if (!Number.isInteger(amount)) throw new Error('a whole number of units');
    return new DatabaseTime(`now() + interval '${amount} ${unit}'`);
  }
}

/** Field name → value of one write; names are policy fields, relations (their foreign key) or stored columns. */
export type Values = Record<string, unknown>;

/** How a written name is stored, and who may write it. */
interface Target {
  column: string;
  personal: boolean;
}

/**
 * The only way services change rows of a table the policy declares: the door beside the scoped
 * reader. Each written name must be a field, a relation's foreign key or a stored column of the
 * type whose declared writers include the caller's audience; its column comes from the catalog,
 * never from the caller. An update reaches only a row in the caller's row scope; an inserted row
 * must land in it (or, for a type the role has no scope on, be about a tenant in the role's scope).
 * Personal fields written go into the request's audit trail, with the tenant they are about.
 */
export class ScopedWriter {
  constructor(
    private readonly m: EntityManager,
    readonly viewer: Viewer,
    private readonly trail?: AuditTrail,
    /** Set for a job's writer: no caller, no row scope, only the writes the policy grants the job. */
    private readonly job?: Job,
  ) {}

  /** The writer of a job the policy declares (retention): it may write only what the policy grants that job. */
  static forJob(m: EntityManager, job: Job): ScopedWriter {
    return new ScopedWriter(m, ANONYMOUS, undefined, job);
  }

  /**
   * A job's update of many rows by id (a retention batch): each name must be granted to the job.
   * Callers with a token update one row at a time, through their row scope (`update`).
   */
  async updateAllAsJob(type: string, ids: readonly string[], values: Values): Promise<void> {
    if (!this.job) throw new ForbiddenError();
    const { table } = tableRule<string>(type);
    const params = new SqlParams();
    const idsParam = params.add(ids);
    const sets = Object.entries(values).map(([name, value]) => `${quoteIdent(this.jobColumn(type, name))} = ${this.sqlValue(value, params)}`);
    await this.m.query(`UPDATE ${table} SET ${sets.join(', ')} WHERE ${table}.id = ANY(${idsParam}::uuid[])`, params.values);
  }

  /** A job's insert of one row about `subject` (a notification): each name must be granted to the job. */
  async insertAsJob(type: string, subject: string, values: Values): Promise<string> {
    if (!this.job) throw new ForbiddenError();
    const rule = tableRule<string>(type);
    if (!rule.subjectColumn) throw new Error(`policy type ${type} has no subject column to insert under`);
    const params = new SqlParams();
    const entries = Object.entries(values);
    const columns = [rule.subjectColumn, ...entries.map(([name]) => this.jobColumn(type, name))].map(quoteIdent);
    const sqlValues = [params.add(subject), ...entries.map(([, value]) => this.sqlValue(value, params))];
    const [{ id }] = await this.m.query(`INSERT INTO ${rule.table} (${columns.join(', ')}) VALUES (${sqlValues.join(', ')}) RETURNING id`, params.values);
    return id;
  }

  /**
   * A job's deletion of rows its type's retention declares `delete` for (the retention job), by id:
   * no other deletion exists. Returns how many went.
   */
  async deleteAsJob(type: string, ids: readonly string[]): Promise<number> {
    if (!this.job) throw new ForbiddenError();
    const rule = tableRule<string>(type);
    if (rule.rule.retention?.action !== 'delete') throw new ForbiddenError(`The policy declares no deletion of ${type}`);
    // A CTE, because TypeORM answers a bare DELETE … RETURNING with [rows, count].
    const [{ n }] = await this.m.query(
      `WITH deleted AS (DELETE FROM ${rule.table} WHERE id = ANY($1::${this.idType(type)}[]) RETURNING 1) SELECT count(*)::int AS n FROM deleted`, [ids],
    );
    return n;
  }

  private idType(type: string): string {
    const column = this.m.connection.entityMetadatas.find((m) => m.tableName === tableRule<string>(type).table)?.findColumnWithPropertyName('id');
    return column?.type === 'uuid' ? 'uuid' : 'bigint';
  }

  /** The column of a field or stored column the policy grants this job; FORBIDDEN otherwise. */
  private jobColumn(type: string, name: string): string {
    const rule = tableRule<string>(type);
    const field = rule.field.get(name);
    const jobs = field ? field.rule.jobs ?? [] : [...(rule.stored.get(name)?.jobs ?? [])];
    if (!jobs.includes(this.job!)) throw new ForbiddenError(`This job may not change ${name}`);
    return this.columnOf(type, name);
  }

  /**
   * A read inside the write's transaction of what the write needs to decide (an id, a status): its
   * answer stays in the service. Only a SELECT: every change goes through the methods below.
   */
  async lookup(sql: string, params: readonly unknown[] = []): Promise<any[]> {
    if (!/^\s*SELECT\b/i.test(sql) || sql.includes(';')) throw new Error('lookup runs one SELECT');
    return this.m.query(sql, [...params]);
  }

  /** Refuses, before any work, a write of a name the caller's audience may not write. */
  assertWritable(type: string, names: readonly string[]): void {
    assertWritable(this.viewer, type, names);
  }

  /**
   * Locks one row in the caller's row scope for the rest of the transaction and returns the named
   * values (fields, keys or stored columns; server-side only), or null when the row is missing or
   * out of scope: the two look the same.
   */
  async lock(type: string, id: string, names: readonly string[] = []): Promise<Record<string, any> | null> {
    const { table } = tableRule(type);
    const params = new SqlParams();
    const scope = scopeWhere(type, this.viewer, params);
    if (!scope) return null;
    const list = ['id', ...names].map((name) => `${table}.${quoteIdent(this.columnOf(type, name))} AS ${quoteIdent(name)}`).join(', ');
    const rows = await this.m.query(
      `SELECT ${list} FROM ${table} AS ${table} WHERE ${table}.id = ${params.add(id)} AND ${scope.sql} FOR UPDATE`,
      params.values,
    );
    return rows[0] ?? null;
  }

  /**
   * Updates one row in the caller's row scope; returns the written values as stored (a
   * `DatabaseTime` as the time it became). A row missing or out of scope is NOT_FOUND.
   */
  async update(type: string, id: string, values: Values): Promise<Record<string, any>> {
    const rule = tableRule(type);
    const table = rule.table;
    const entries = this.entries(type, values);
    const params = new SqlParams();
    const idParam = params.add(id);
    const scope = scopeWhere(type, this.viewer, params);
    if (!scope) throw new NotFoundError(type);
    const sets = entries.map(([, target, value]) => `${quoteIdent(target.column)} = ${this.sqlValue(value, params)}`);
    const returning = [
      ...entries.map(([name, target]) => `${table}.${quoteIdent(target.column)} AS ${quoteIdent(name)}`),
      ...(rule.subjectColumn ? [`${table}.${quoteIdent(rule.subjectColumn)} AS "__subject"`] : []),
    ];
    const rows = await this.m.query(
      `WITH written AS (UPDATE ${table} SET ${sets.join(', ')} WHERE ${table}.id = ${idParam} AND ${scope.sql} RETURNING ${returning.join(', ')})
       SELECT * FROM written`,
      params.values,
    ).catch((error: unknown) => refuseTakenValue(error, table, entries));
    if (!rows[0]) throw new NotFoundError(type);
    const { __subject, ...written } = rows[0];
    this.record(type, entries, __subject);
    return written;
  }

  /**
   * Inserts one row about `subject` (the tenant in the type's subject column) and returns its id.
   * The row must be in the caller's scope once written, else the write is refused and, with the
   * transaction, undone.
   */
  async insert(type: string, subject: string | null, values: Values): Promise<string> {
    const rule = tableRule(type);
    const table = rule.table;
    // A type about nobody (an organisation) is inserted with a null subject, and only such a type.
    if (!rule.subjectColumn !== (subject === null)) {
      throw new Error(`policy type ${type} ${rule.subjectColumn ? 'needs a subject' : 'has no subject column'} to insert under`);
    }
    const entries = this.entries(type, values);
    const params = new SqlParams();
    const subjectColumns = rule.subjectColumn ? [rule.subjectColumn] : [];
    const columns = [...subjectColumns, ...entries.map(([, t]) => t.column)].map(quoteIdent);
    const sqlValues = [...(subject === null ? [] : [params.add(subject)]), ...entries.map(([, , value]) => this.sqlValue(value, params))];
    const [{ id }] = await this.m.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${sqlValues.join(', ')}) RETURNING id`, params.values)
      .catch((error: unknown) => refuseTakenValue(error, table, entries));
    if (!(await this.inScope(type, id))) throw new ForbiddenError();
    this.record(type, entries, subject ?? undefined);
    return id;
  }

  /**
   * Inserts the same values about every tenant in the caller's Tenant scope that `tenantWhere`
   * (SQL over the `tenant` table) selects, in one statement; returns how many rows it wrote.
   */
  async insertForTenants(type: string, tenantWhere: string, values: Values): Promise<number> {
    const rule = tableRule(type);
    if (!rule.subjectColumn) throw new Error(`policy type ${type} has no subject column to insert under`);
    const entries = this.entries(type, values);
    const params = new SqlParams();
    const scope = scopeWhere('Tenant', this.viewer, params);
    if (!scope) throw new ForbiddenError();
    const columns = [rule.subjectColumn, ...entries.map(([, t]) => t.column)].map(quoteIdent);
    const selected = ['tenant.id', ...entries.map(([, , value]) => this.sqlValue(value, params))];
    const [{ n }] = await this.m.query(
      `WITH written AS (INSERT INTO ${rule.table} (${columns.join(', ')})
         SELECT ${selected.join(', ')} FROM tenant AS tenant WHERE ${scope.sql} AND (${tenantWhere}) RETURNING 1)
       SELECT count(*)::int AS n FROM written`,
      params.values,
    );
    return n;
  }

  /**
   * Masks every stored personal field about these tenants by its declared strategy (erasure):
   * only for the audiences the policy lets erase. Returns the field paths masked.
   */
  async mask(tenantIds: readonly string[], options: AnonymizeOptions = {}): Promise<string[]> {
    const allowed = this.job ? compiled.erasureJobs.has(this.job) : compiled.erasureBy.has(this.viewer.audience);
    if (!allowed) throw new ForbiddenError();
    return anonymizeSubjects(this.m, tenantIds, options);
  }

  /** A row just written is in the caller's scope: the type's own, or its subject's for a type the role has no scope on. */
  private async inScope(type: string, id: string): Promise<boolean> {
    const rule = tableRule(type);
    const params = new SqlParams();
    const idParam = params.add(id);
    const own = scopeWhere(type, this.viewer, params);
    let sql: string;
    if (own) sql = `SELECT 1 FROM ${rule.table} AS ${rule.table} WHERE ${rule.table}.id = ${idParam} AND ${own.sql}`;
    else {
      const subject = scopeWhere('Tenant', this.viewer, params);
      if (!subject) return false;
      sql = `SELECT 1 FROM ${rule.table} AS row JOIN tenant AS tenant ON tenant.id = row.${quoteIdent(rule.subjectColumn!)}
        WHERE row.id = ${idParam} AND ${subject.sql}`;
    }
    return (await this.m.query(sql, params.values)).length > 0;
  }

  private entries(type: string, values: Values): [string, Target, unknown][] {
    const entries = Object.entries(values).filter(([, value]) => value !== undefined);
    if (!entries.length) throw new Error(`a write of ${type} names no field`);
    return entries.map(([name, value]) => [name, this.target(type, name), value]);
  }

  /** Where `name` is stored and that the caller may write it; FORBIDDEN naming the field otherwise. */
  private target(type: string, name: string): Target {
    const { property, personal } = writable(this.viewer, type, name);
    return { column: this.columnOf(type, property), personal };
  }

  /** The column of a field, key or stored column, from the catalog or the entity: never the caller's text. */
  private columnOf(type: string, name: string): string {
    const source = catalogOf(this.m.connection).get(type)?.get(name);
    if (source?.kind === 'column') return source.column;
    return storedColumnOf(this.m.connection, type, name);
  }

  private sqlValue(value: unknown, params: SqlParams): string {
    return value instanceof DatabaseTime ? value.sql : params.add(value);
  }

  private record(type: string, entries: [string, Target, unknown][], subject: string | undefined): void {
    if (!this.trail) return;
    for (const [name, target] of entries) if (target.personal) this.trail.record(auditSlot(writtenPath(`${type}.${name}`)), subject);
  }
}

/**
 * A unique index refused a written value (SQLSTATE 23505; the index is named `<table>_<column>_key`):
 * the value belongs to another row, so it is refused exactly as an invalid value of that field is.
 * The database's message, which quotes the value, never leaves.
 */
function refuseTakenValue(error: unknown, table: string, entries: [string, Target, unknown][]): never {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  if (driver?.code === '23505') {
    const taken = entries.find(([, target]) => driver.constraint === `${table}_${target.column}_key`);
    if (taken) throw invalidValue(taken[0]);
  }
  throw error;
}

/** Who may write `type.name` and the property it is stored under; FORBIDDEN naming the field for anyone else. */
function writable(viewer: Viewer, type: string, name: string): { property: string; personal: boolean } {
  const field = tableRule<string>(type).field.get(name);
  const writers = field?.writers ?? tableRule<string>(type).stored.get(name)?.writers;
  if (!writers?.has(viewer.audience)) throw new ForbiddenError(`This role or purpose may not change ${name}`);
  const property = field?.resolved ? field.rule.foreignKey : name;
  if (!property) throw new Error(`policy field ${type}.${name} is resolved and names no foreign key to write`);
  return { property, personal: field?.personal !== undefined };
}

/** Refuses a write of any of `names` that the viewer's audience may not write (POLICY.md "Writes"). */
export function assertWritable(viewer: Viewer, type: string, names: readonly string[]): void {
  for (const name of names) writable(viewer, type, name);
}

/**
 * The fields an input gives (null and absent fields stay as they are), each checked writable for
 * the caller first and then validated by its function: FORBIDDEN before BAD_USER_INPUT, so a
 * refusal does not depend on the value sent.
 */
export function validChanges<T extends object>(
  viewer: Viewer, type: string, input: T, validate: { [K in keyof T & string]: (value: NonNullable<T[K]>) => unknown },
): Values {
  const given = Object.entries(input).filter(([, v]) => v !== null && v !== undefined) as [keyof T & string, any][];
  if (!given.length) throw new BadUserInputError('input must give at least one field', 'input');
  assertWritable(viewer, type, given.map(([field]) => field));
  return Object.fromEntries(given.map(([field, value]) => [field, validate[field](value)]));
}

/**
 * Runs a validation now and keeps its BAD_USER_INPUT for later: a write that can also be refused
 * for a value another account holds (a unique column) refuses an invalid value only after it has
 * locked its row, so that both refusals take the same path to the database and back. Any other
 * error (FORBIDDEN) is thrown at once.
 */
export function deferredValidation<T>(validate: () => T): () => T {
  try {
    const value = validate();
    return () => value;
  } catch (error) {
    if (!(error instanceof BadUserInputError)) throw error;
    return () => { throw error; };
  }
}

/** The request's writer inside a transaction. */
export function writerOf(ctx: AppContext, m: EntityManager): ScopedWriter {
  return new ScopedWriter(m, ctx.viewer, ctx.audit);
}

/**
 * One write: `work` runs in one transaction with the caller's scoped writer and returns the id of
 * the row to answer with; after the commit that row is read through a scoped reader of the caller,
 * so the response shows only what the caller may read. A fresh reader: the request's own one may
 * hold the row as it was before the write (its loads are cached per request). (The embedded
 * database is one session: nothing inside `work` may use another connection, so the read waits for
 * the commit.)
 */
export async function writeThenRead(
  ctx: AppContext, type: string, work: (writer: ScopedWriter) => Promise<string>,
): Promise<Row | null> {
  const id = await ctx.dataSource.transaction((m) => work(writerOf(ctx, m)));
  return new ScopedReader(ctx.dataSource, ctx.viewer).byId(type, id);
}
