/**
 * `npm run anonymize`: a seeded database of the test's own, with distinctive personal values planted
 * in every text column, is copied into a fresh one. The copy must hold none of them, and no id of
 * the source, anywhere (every table, every text, array and uuid column); its replacements must look
 * real (valid IBANs and phones, Dutch names); it must hold no audit event; and it must still serve
 * every client read operation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  checkTables, CopyRefusedError, copyAnonymized, CopyReport, COPY_ORDER, describeTables, TableInfo, TargetNotEmptyError,
} from '../../../src/domains/anonymized-copy/copy';
import { maskingPlan } from '../../../src/privacy/masking/masking-plan';
import { openTarget } from '../../../src/app/copy-target';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { isValidIban } from '../../../src/platform/values/iban';
import { normalizedPhone } from '../../../src/platform/values/phone';
import { policy } from '../../../src/privacy/policy/policy';
import { startServer } from '../../../src/app/server';
import { asStaff, Caller, config, tokens } from '../../support/app';
import { clientOperationNames, clientOperation } from '../../support/client-operations';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

let sourceDb: ScratchDatabase;
let source: DataSource;
let scratch: ScratchDatabase;
let copy: DataSource;
let report: CopyReport;
const lines: string[] = [];
/** Per planted column (`table.column`), the planted marker. */
const planted = new Map<string, string>();
/** Every uuid of the source (ids of people, rows and organisations). */
let sourceIds: Set<string>;
const sourceCounts = new Map<string, number>();

/** Every text, json and array column of every table (`uuid` and `uuid[]` apart: ids are checked by value). */
async function textColumns(query: Query): Promise<{ table: string; column: string; array: boolean }[]> {
  return query(`
    SELECT c.relname AS "table", a.attname AS "column", t.typcategory = 'A' AS "array"
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND c.relname <> 'migrations'
      AND (t.typcategory = 'S' OR t.typname IN ('json', 'jsonb') OR e.typcategory = 'S' OR e.typname IN ('json', 'jsonb'))
    ORDER BY 1, 2`);
}

async function uuidColumns(query: Query): Promise<{ table: string; column: string; array: boolean }[]> {
  return query(`
    SELECT c.relname AS "table", a.attname AS "column", t.typcategory = 'A' AS "array"
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND NOT c.relispartition AND a.attnum > 0 AND NOT a.attisdropped AND t.typname IN ('uuid', '_uuid')`);
}

async function allIds(query: Query): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const { table, column, array } of await uuidColumns(query)) {
    const rows = await query(array ? `SELECT DISTINCT unnest("${column}")::text AS v FROM ${table}` : `SELECT DISTINCT "${column}"::text AS v FROM ${table} WHERE "${column}" IS NOT NULL`);
    for (const r of rows) ids.add(r.v);
  }
  return ids;
}

/**
 * Plants a distinctive value, such as a person would write (a name, a phone number, a child's
 * illness), in a few rows of every text column the policy does not declare non-personal (those
 * are codes and enumerations the apps read); a column whose constraint refuses it (a postal code)
 * is left as it is, in a savepoint.
 */
async function plant(ds: DataSource): Promise<void> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('BEGIN');
    let n = 0;
    for (const { table, column, array } of await textColumns((sql, p) => runner.query(sql, p))) {
      if (`${table}.${column}` in policy.nonPersonal) continue;
      const marker = `Zwaantje${(++n).toString().padStart(3, '0')}Plantinga`;
      const text = `Mijn dochter ${marker} heeft astma, bel 06-${(98700000 + n).toString()}`;
      await runner.query('SAVEPOINT plant');
      try {
        // Distinct per row: email, phone and IBAN are unique.
        const distinct = `$1 || ' ' || substr(md5(random()::text), 1, 8)`;
        const value = array ? `ARRAY[${distinct}]::text[]` : distinct;
        // Rows chosen by their ctid: every table has some, whatever its key.
        await runner.query(`UPDATE ${table} SET "${column}" = ${array ? `"${column}" || ${value}` : value}
          WHERE ctid IN (SELECT ctid FROM ${table} ORDER BY ctid LIMIT 3)`, [text]);
        await runner.query('RELEASE SAVEPOINT plant');
        planted.set(`${table}.${column}`, marker);
      } catch {
        await runner.query('ROLLBACK TO SAVEPOINT plant');
      }
    }
    await runner.query('COMMIT');
  } finally {
    await runner.release();
  }
}

/**
 * Values the policy keeps on a person's rows (dates and amounts of the fiscal record, when a
 * consent was given), planted where nothing else holds them: the copy must hold none of them.
 * Far from every other value, so that no other row's look-alike can land on one by chance.
 */
const KEPT_PLANTED = [
  { table: 'tenant', column: 'registered_at', value: '1999-09-09T09:09:09.123Z' },
  { table: 'lease', column: 'start_date', value: '1957-06-05' },
  { table: 'lease', column: 'monthly_rent', value: '98765.43' },
  { table: 'invoice', column: 'amount', value: '87654.32' },
  { table: 'arrears_case', column: 'amount_due', value: '76543.21' },
  { table: 'consent_record', column: 'given_at', value: '1998-08-08T08:08:08.123Z' },
];

beforeAll(async () => {
  sourceDb = await openScratchDatabase({});
  source = sourceDb.dataSource;
  await plant(source);
  for (const { table, column, value } of KEPT_PLANTED) {
    const [, n] = await source.query(`UPDATE ${table} SET ${column} = $1 WHERE ctid IN (SELECT ctid FROM ${table} ORDER BY ctid LIMIT 3)`, [value]);
    expect({ table, column, n }).toEqual({ table, column, n: 3 });
  }
  // An audit event to leave out (append-only: planted as it is written), naming a person as its actor.
  await source.query(`INSERT INTO audit_event (actor_sub, role, operation, tenant_ids, fields, chain, seq, hash)
    SELECT 'Zwaantje000Plantinga', 'staff', 'TenantDetail', ARRAY[id], ARRAY['Tenant.lastName'], 'test-chain', 1, 'x' FROM tenant ORDER BY id LIMIT 1`);
  planted.set('audit_event.actor_sub', 'Zwaantje000Plantinga');
  sourceIds = await allIds((sql, p) => source.query(sql, p));
  for (const table of COPY_ORDER) sourceCounts.set(table, (await source.query(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
  scratch = await openScratchDatabase(false);
  copy = scratch.dataSource;
  report = await copyAnonymized(source, copy, { batchSize: 50, log: (l) => lines.push(l) });
}, 180_000); // a whole scratch database copied: slow on a busy machine

afterAll(async () => {
  await scratch?.close();
  await sourceDb?.close();
});

test('plants in every personal text column, and the copy reports each table with its replaced columns', () => {
  for (const column of ['tenant.first_name', 'tenant.last_name', 'tenant.email', 'work_order.description', 'nuisance_case.description',
    'disclosure.recipient_name', 'disclosure.withheld_reason', 'notification.message', 'data_subject_request.outcome', 'dwelling.street', 'audit_event.actor_sub']) {
    expect({ column, planted: planted.has(column) }).toEqual({ column, planted: true });
  }
  expect(report.tables.map((t) => t.table)).toEqual([...COPY_ORDER]);
  expect(lines).toContainEqual(expect.stringMatching(/^tenant: \d+ rows, \d+ personal columns masked \(first_name: replaced, last_name: replaced, /));
  expect(lines.at(-1)).toMatch(new RegExp(`^anonymised copy done: \\d+ rows in ${COPY_ORDER.length} tables`));
});

test('copies every row but the audit trail', async () => {
  for (const table of COPY_ORDER) {
    const [{ n }] = await copy.query(`SELECT count(*)::int AS n FROM ${table}`);
    expect({ table, n }).toEqual({ table, n: ['audit_event', 'audit_event_subject'].includes(table) ? 0 : sourceCounts.get(table) });
  }
});

test('no planted value survives anywhere in the copy', async () => {
  const found = async (query: Query) => {
    const hits: string[] = [];
    const markers = [...planted.values()];
    for (const { table, column, array } of await textColumns(query)) {
      const rows = await query(
        array ? `SELECT DISTINCT unnest("${column}")::text AS v FROM ${table}` : `SELECT DISTINCT "${column}"::text AS v FROM ${table} WHERE "${column}" IS NOT NULL`,
      );
      for (const { v } of rows) {
        if (markers.some((m) => v.includes(m)) || /heeft astma|06-987/.test(v)) hits.push(`${table}.${column}`);
      }
    }
    return [...new Set(hits)].sort();
  };
  // The search finds them in the source: it would find a leak.
  expect((await found((sql, p) => source.query(sql, p))).length).toBeGreaterThanOrEqual(12);
  expect(await found((sql, p) => copy.query(sql, p))).toEqual([]);
});

test('no value a declaration keeps survives either: dates move per person, amounts are drawn anew', async () => {
  for (const { table, column, value } of KEPT_PLANTED) {
    const [{ n }] = await copy.query(`SELECT count(*)::int AS n FROM ${table} WHERE ${column} = $1`, [value]);
    expect({ table, column, n }).toEqual({ table, column, n: 0 });
  }
  expect(lines).toContainEqual(expect.stringMatching(/^lease: .*start_date: look-alike.*monthly_rent: look-alike/));
});

test('no organisation keeps its name: a recipient\'s name is replaced alike in its organisation and its disclosures', async () => {
  const names = (await source.query('SELECT DISTINCT name FROM organization')).map((r: any) => r.name);
  expect(names.length).toBeGreaterThan(3);
  const [{ n: kept }] = await copy.query(`SELECT count(*)::int AS n FROM organization WHERE name = ANY($1::text[])`, [names]);
  expect(kept).toBe(0);
  const [{ n: inDisclosures }] = await copy.query(`SELECT count(*)::int AS n FROM disclosure WHERE recipient_name = ANY($1::text[])`, [names]);
  expect(inDisclosures).toBe(0);
  // As in the source, a disclosure names its organisation by that organisation's name.
  const pairs = async (ds: DataSource) => (await ds.query(`SELECT count(*)::int AS n FROM disclosure d JOIN organization o ON o.id = d.recipient_org_id
    WHERE d.recipient_name = o.name`))[0].n;
  expect(await pairs(copy)).toBe(await pairs(source));
  expect(await pairs(copy)).toBeGreaterThan(0);
});

test("the names a search walks are the copy's own, rebuilt from its tenants and not copied", async () => {
  const names = (ds: DataSource) => ds.query(`SELECT searched_column, value, holders FROM tenant_search_value ORDER BY 1, 2`);
  const recount = (ds: DataSource) => ds.query(`SELECT c AS searched_column, v AS value, count(*)::int AS holders FROM (
      SELECT 'first_name' AS c, first_name AS v FROM tenant UNION ALL SELECT 'last_name', last_name FROM tenant) held GROUP BY 1, 2 ORDER BY 1, 2`);
  expect((await names(copy)).length).toBeGreaterThan(20);
  expect(await names(copy)).toEqual(await recount(copy));
});

test('no source id occurs in the copy: every id is new, and references still join', async () => {
  expect(sourceIds.size).toBeGreaterThan(500);
  const copied = await allIds((sql, p) => copy.query(sql, p));
  expect([...copied].filter((id) => sourceIds.has(id))).toEqual([]);
  // Nor in any text (a message naming a case, an outcome naming a request).
  for (const { table, column } of await textColumns((sql, p) => copy.query(sql, p))) {
    const [{ n }] = await copy.query(`SELECT count(*)::int AS n FROM ${table} WHERE "${column}"::text ~ '[0-9a-f]{8}-[0-9a-f]{4}-'`);
    expect({ column: `${table}.${column}`, n }).toEqual({ column: `${table}.${column}`, n: 0 });
  }
  const [{ orphans }] = await copy.query(`SELECT count(*)::int AS orphans FROM lease l LEFT JOIN tenant t ON t.id = l.tenant_id WHERE t.id IS NULL`);
  expect(orphans).toBe(0);
});

test('the replacements look real: Dutch names, valid and distinct IBANs and phones, plausible texts', async () => {
  const tenants = await copy.query(`SELECT first_name, last_name, email, phone, iban, date_of_birth FROM tenant`);
  expect(tenants.length).toBeGreaterThan(100);
  for (const t of tenants) {
    expect(t.first_name).toMatch(/^\p{L}[\p{L}' -]*$/u);
    expect(t.last_name).toMatch(/^\p{L}[\p{L}' -]*$/u);
    if (t.iban) expect(isValidIban(t.iban)).toBe(true);
    if (t.phone) expect(normalizedPhone(t.phone)).toBe(t.phone);
    if (t.email) expect(t.email).toMatch(/^[^@\s]+@example\.nl$/);
  }
  const distinct = (k: string) => new Set(tenants.map((t: any) => t[k]).filter(Boolean)).size;
  expect(distinct('last_name')).toBeGreaterThan(20);
  expect(distinct('iban')).toBe(tenants.filter((t: any) => t.iban).length);
  const [order] = await copy.query(`SELECT description FROM work_order LIMIT 1`);
  expect(order.description).toMatch(/^\p{Lu}.{10,}/u);
  const dwellings = await copy.query(`SELECT postal_code FROM dwelling`);
  expect(dwellings.every((d: any) => /^[1-9][0-9]{3} ?[A-Z]{2}$/.test(d.postal_code))).toBe(true);
});

/** A runner per read operation of the clients (the mutations are covered on the suite's database). */
const READS: Record<string, { caller: (fx: Fixtures) => Caller; variables?: (fx: Fixtures) => Record<string, unknown> }> = {
  HandedOverCases: { caller: (f) => ({ token: tokens.org('bailiff', f.bailiffId) }) },
  MyRenovationProjects: { caller: (f) => ({ token: tokens.org('builder', f.builderId) }) },
  MyWorkOrders: { caller: (f) => ({ token: tokens.org('contractor', f.contractorId) }), variables: () => ({ status: ['ASSIGNED', 'IN_PROGRESS'], first: 50 }) },
  WorkOrder: { caller: (f) => ({ token: tokens.org('contractor', f.contractorId) }), variables: (f) => ({ id: f.openOrderId }) },
  CurrentPrivacyStatement: { caller: () => ({}) },
  TenantList: { caller: () => asStaff('LETTING'), variables: () => ({ first: 25 }) },
  TenantDetail: { caller: () => asStaff('PRIVACY'), variables: (f) => ({ id: f.tenantId }) },
  OpenWorkOrders: { caller: () => asStaff('REPAIRS'), variables: () => ({ first: 50 }) },
  ArrearsOverview: { caller: () => asStaff('ARREARS') },
  Organizations: { caller: () => asStaff('REPAIRS'), variables: () => ({ kind: 'CONTRACTOR' }) },
  DataSubjectRequests: { caller: () => asStaff('PRIVACY'), variables: () => ({ status: ['RECEIVED', 'IN_PROGRESS'] }) },
  AuditLog: { caller: () => asStaff('PRIVACY'), variables: () => ({ first: 20 }) },
  MyProfile: { caller: (f) => ({ token: tokens.tenant(f.tenantId) }) },
  MyNotifications: { caller: (f) => ({ token: tokens.tenant(f.handedOverTenantId) }) },
  MyAccessLog: { caller: (f) => ({ token: tokens.tenant(f.tenantId) }), variables: () => ({ first: 10 }) },
  MyDataExport: { caller: (f) => ({ token: tokens.tenant(f.tenantId) }) },
};

test('the copy serves every read operation of the clients, and appends a fresh audit trail', async () => {
  const fx = await findFixtures(copy);
  const reads = clientOperationNames('query');
  expect(reads.map((r) => r.name).filter((n) => !READS[n])).toEqual([]);
  const app = await startServer(config, copy);
  try {
    const failures: unknown[] = [];
    for (const { file, name } of reads) {
      const { caller, variables } = READS[name];
      const c = caller(fx);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (c.token) headers.authorization = `Bearer ${c.token}`;
      if (c.purpose) headers['x-purpose'] = c.purpose;
      const res = await fetch(app.url, {
        method: 'POST', headers, body: JSON.stringify({ query: clientOperation(file, name), variables: variables?.(fx) ?? {} }),
      });
      const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
      const root = Object.values(body.data ?? {})[0];
      if (res.status !== 200 || body.errors?.length || root === null || root === undefined) failures.push({ name, status: res.status, errors: body.errors });
    }
    expect(failures).toEqual([]);
  } finally {
    await app.stop();
  }
  const audit = await verifyAuditChains(copy);
  expect(audit.broken).toBeNull();
  expect(audit.events).toBeGreaterThan(0);
});

test('stops on a table missing from the copy order, out of foreign-key order, or different in the target', async () => {
  const tables = await describeTables((sql, params) => source.query(sql, params));
  const plan = maskingPlan(source);
  const change = (name: string, info: Partial<TableInfo>) => new Map(tables).set(name, { ...tables.get(name)!, name, ...info });
  expect(() => checkTables(tables, tables, source, plan)).not.toThrow();
  const extra = change('parking_space', {
    columns: [{ name: 'id', type: 'uuid', generated: false, identityAlways: false }], primaryKey: ['id'], references: ['tenant'],
  });
  expect(() => checkTables(extra, extra, source, plan)).toThrow(/table parking_space is not in the copy order/);
  const early = change('lease', { references: ['tenant', 'invoice'] });
  expect(() => checkTables(early, early, source, plan)).toThrow(/table lease references invoice, which is not copied before it/);
  const narrower = change('tenant', { columns: tables.get('tenant')!.columns.filter((c) => c.name !== 'iban') });
  expect(() => checkTables(tables, narrower, source, plan)).toThrow(/table tenant differs between source .* and target/);
});

test('refuses a target that holds data, and leaves it as it was', async () => {
  const count = async () => (await copy.query('SELECT (SELECT count(*) FROM tenant)::int AS t, (SELECT count(*) FROM audit_event)::int AS a'))[0];
  const before = await count();
  await expect(copyAnonymized(source, copy)).rejects.toThrow(TargetNotEmptyError);
  await expect(copyAnonymized(source, copy)).rejects.toThrow(/target database is not empty \(.*tenant: \d+ rows/);
  expect(await count()).toEqual(before);
});

test('refuses a target directory that holds something else, and the source directory itself', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'anon-target-'));
  try {
    writeFileSync(join(dir, 'notes.txt'), 'not a database');
    await expect(openTarget(dir, {})).rejects.toThrow(CopyRefusedError);
    await expect(openTarget(join(dir, 'db'), { dataDir: join(dir, 'db') })).rejects.toThrow(/is the source database/);
    await expect(openTarget('postgres://u:secret@db.example:5432/prod', { databaseUrl: 'postgres://db.example/prod' })).rejects.toThrow(
      /^the target postgres:\/\/db\.example:5432\/prod is the source database$/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
