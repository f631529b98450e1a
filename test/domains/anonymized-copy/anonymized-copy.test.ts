import { PSEUDONYM_PREFIX } from '../../../src/privacy/masking/anonymize';
/**
 * `npm run anonymize`: the suite's seeded database (read only) is copied into a fresh in-memory
 * embedded database, which must hold no personal value the policy masks, keep what it keeps, keep
 * pseudonyms joinable, and still serve every client read operation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import {
  checkTables, CopyRefusedError, copyAnonymized, CopyReport, COPY_ORDER, describeTables, TableInfo, TargetNotEmptyError, withSnapshot,
} from '../../../src/domains/anonymized-copy/copy';
import { maskingPlan } from '../../../src/privacy/masking/masking-plan';
import { openTarget } from '../../../src/app/copy-target';
import { verifyAuditChains } from '../../../src/platform/audit/verify';
import { createDataSource } from '../../../src/app/data-source';
import { maskValue } from '../../../src/privacy/masking/anonymize';
import { catalogOf } from '../../../src/privacy/read/catalog';
import { compiled } from '../../../src/privacy/policy/compiled';
import { Masking } from '../../../src/privacy/policy/policy-types';
import { startServer } from '../../../src/app/server';
import { asStaff, Caller, config, tokens } from '../../support/app';
import { clientOperationNames, clientOperation } from '../../support/client-operations';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';

const KEY = 'anonymized-copy-test-key';

interface PersonalColumn {
  field: string;
  table: string;
  column: string;
  masking: Masking;
}

let source: DataSource;
let scratch: ScratchDatabase;
let copy: DataSource;
let report: CopyReport;
let fx: Fixtures;
const lines: string[] = [];
/** Per personal column: the source rows (id → value as text) in the copied snapshot. */
const sourceValues = new Map<PersonalColumn, Map<string, string | null>>();
/** Per table: the rows without their personal columns, in the copied snapshot. */
const sourceRest = new Map<string, string>();

/** Every personal field stored in a column, straight from the policy and the catalog. */
function personalColumns(ds: DataSource): PersonalColumn[] {
  const catalog = catalogOf(ds);
  return compiled.tables.flatMap((rule) => rule.personal.flatMap((f) => {
    const source = catalog.get(rule.name)!.get(f.name)!;
    if (source.kind !== 'column') return [];
    return [{ field: f.path, table: rule.table, column: source.column, masking: f.personal!.masking }];
  }));
}

type Query = (sql: string, params?: unknown[]) => Promise<any[]>;

/** A table's rows as JSON text without its personal columns, ordered: equal in source and copy. */
async function restOf(query: Query, table: string, personal: PersonalColumn[]): Promise<string> {
  const drop = personal.filter((p) => p.table === table).map((p) => `'${p.column}'`);
  const expr = drop.length ? `to_jsonb(t) - ARRAY[${drop.join(', ')}]::text[]` : 'to_jsonb(t)';
  const [{ rows }] = await query(`SELECT coalesce(string_agg((${expr})::text, E'\\n' ORDER BY (${expr})::text), '') AS rows FROM ${table} t`);
  return rows;
}

beforeAll(async () => {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set: run through jest (global setup)');
  source = createDataSource({ url, poolSize: 2 });
  await source.initialize();
  // An empty database of the test's own (PGlite cannot start inside jest's sandbox: a process of its own).
  scratch = await openScratchDatabase(false);
  copy = scratch.dataSource;
  const personal = personalColumns(source);
  // The copy and everything compared with it are read in one snapshot: other suites write meanwhile.
  await withSnapshot(source, async (snapshot) => {
    const query: Query = (sql, params) => snapshot.query(sql, params);
    report = await copyAnonymized(source, copy, { key: KEY, batchSize: 500, log: (l) => lines.push(l) }, snapshot);
    for (const p of personal) {
      const rows = await query(`SELECT id::text AS id, ${p.column}::text AS v FROM ${p.table}`);
      sourceValues.set(p, new Map(rows.map((r) => [r.id, r.v])));
    }
    for (const table of COPY_ORDER) sourceRest.set(table, await restOf(query, table, personal));
    fx = await findFixtures({ query } as unknown as DataSource);
  });
}, 60_000);

afterAll(async () => {
  await scratch?.close();
  if (source?.isInitialized) await source.destroy();
});

test('copies every table, reports each with its masked columns', () => {
  expect(report.tables.map((t) => t.table)).toEqual([...COPY_ORDER]);
  expect(lines).toContainEqual(expect.stringMatching(/^tenant: \d+ rows, 8 personal columns masked \(first_name: fixed, last_name: hash, /));
  expect(lines.at(-1)).toMatch(/^anonymised copy done: \d+ rows in 15 tables/);
  expect(report.tables.find((t) => t.table === 'tenant')!.rows).toBeGreaterThanOrEqual(600);
});

test('everything but the personal columns is copied unchanged', async () => {
  const personal = personalColumns(copy);
  for (const table of COPY_ORDER) {
    expect({ table, rows: await restOf((sql, p) => copy.query(sql, p), table, personal) }).toEqual({ table, rows: sourceRest.get(table) });
  }
});

test('no personal value the policy masks occurs anywhere in the copy', async () => {
  // Every non-null source value of every personal column whose strategy is not `keep`.
  const secrets = new Set<string>();
  // Rows other tests have already anonymised (erasure runs on the shared database) hold masked values,
  // not personal ones: the declared fixed texts and keyed pseudonyms are left out.
  const masked = (v: string) =>
    v.startsWith(PSEUDONYM_PREFIX) || [...sourceValues.keys()].some((p) => p.masking.strategy === 'fixed' && String(p.masking.value) === v);
  for (const [p, rows] of sourceValues) {
    if (p.masking.strategy === 'keep') continue;
    for (const v of rows.values()) if (v !== null && !masked(v)) secrets.add(v);
  }
  expect(secrets.size).toBeGreaterThan(1000);
  // Exactly: every value but short numbers (a household size of 2 equals house number "2").
  const exactly = new Set([...secrets].filter((s) => s.length > 3 || /\p{L}/u.test(s)));
  // Within any text as a whole word: values of four characters or more.
  const long = [...secrets].filter((s) => s.length > 3);
  const escaped = long.sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const anywhere = new RegExp(`(?<![\\p{L}\\p{N}])(?:${escaped.join('|')})(?![\\p{L}\\p{N}])`, 'u');

  // Business names are declared non-personal (Organization.name) and reach disclosures and notifications:
  // a surname that is also part of one ("Jansen Elektrotechniek") is no tenant's value, so they are cut out.
  const leaks = async (query: Query) => {
    const organizations: string[] = (await query('SELECT name FROM organization')).map((r: { name: string }) => r.name);
    organizations.sort((a, b) => b.length - a.length);
    const withoutOrganizations = (text: string) => organizations.reduce((t, name) => t.split(name).join(' '), text);
    const found = { exact: [] as string[], contained: [] as string[] };
    for (const { table, column, array } of await textColumns(query)) {
      const c = `"${column}"`;
      const values: string[] = (await query(
        array ? `SELECT DISTINCT unnest(${c})::text AS v FROM ${table}` : `SELECT DISTINCT ${c}::text AS v FROM ${table} WHERE ${c} IS NOT NULL`,
      )).map((r: { v: string }) => r.v);
      for (const v of values) {
        if (exactly.has(v)) found.exact.push(`${table}.${column}: ${v}`);
        else if (anywhere.test(withoutOrganizations(v))) {
          found.contained.push(`${table}.${column}: ${withoutOrganizations(v).match(anywhere)![0]} in ${JSON.stringify(v)}`);
        }
      }
    }
    return found;
  };
  expect(await leaks((sql, p) => copy.query(sql, p))).toEqual({ exact: [], contained: [] });
  // The same search on the source finds them: it would find a leak.
  const inSource = await leaks((sql, p) => source.query(sql, p));
  expect(inSource.exact).toEqual(expect.arrayContaining([expect.stringMatching(/^tenant\.email: /), expect.stringMatching(/^tenant\.iban: /)]));
});

/** Every text, json and array-of-text column of every table. */
async function textColumns(query: Query): Promise<{ table: string; column: string; array: boolean }[]> {
  const columns = await query(`
    SELECT c.relname AS "table", a.attname AS "column", t.typcategory = 'A' AS "array"
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_type e ON e.oid = t.typelem
    WHERE n.nspname = current_schema() AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
      AND (t.typcategory = 'S' OR t.typname IN ('json', 'jsonb') OR e.typcategory = 'S' OR e.typname IN ('json', 'jsonb'))`);
  expect(columns.map((c) => `${c.table}.${c.column}`)).toEqual(expect.arrayContaining(['tenant.last_name', 'notification.message', 'audit_event.fields']));
  return columns;
}

test('masks each personal column by its strategy: keep unchanged, hash keyed, joinable and new', async () => {
  const strategies = new Set<string>();
  for (const [p, before] of sourceValues) {
    strategies.add(p.masking.strategy);
    const after = new Map<string, string | null>(
      (await copy.query(`SELECT id::text AS id, ${p.column}::text AS v FROM ${p.table}`)).map((r: any) => [r.id, r.v]),
    );
    expect({ field: p.field, rows: after.size }).toEqual({ field: p.field, rows: before.size });
    const wrong: string[] = [];
    const pseudonyms = new Map<string, string>();
    const originals = new Map<string, string>();
    for (const [id, v] of before) {
      const got = after.get(id) ?? null;
      const expected =
        p.masking.strategy === 'keep' ? v
        : p.masking.strategy === 'hash' ? (maskValue(p.masking, v, KEY) as string | null)
        : p.masking.strategy === 'fixed' ? String(p.masking.value)
        : null;
      if (got !== expected) wrong.push(`${p.field} ${id}: ${got} instead of ${expected}`);
      if (p.masking.strategy === 'hash' && v !== null && got !== null) {
        if (got === v) wrong.push(`${p.field} ${id}: not masked`);
        if ((pseudonyms.get(v) ?? got) !== got) wrong.push(`${p.field}: equal values ${v} got different pseudonyms`);
        if ((originals.get(got) ?? v) !== v) wrong.push(`${p.field}: different values share pseudonym ${got}`);
        pseudonyms.set(v, got);
        originals.set(got, v);
      }
    }
    expect(wrong).toEqual([]);
    if (p.masking.strategy === 'hash') {
      // Joinable: rows that shared a value still do, e.g. tenants of one family name.
      expect(pseudonyms.size).toBeGreaterThan(1);
      expect([...before.values()].filter((v) => v !== null).length).toBeGreaterThan(pseudonyms.size);
    }
  }
  expect([...strategies].sort()).toEqual(['fixed', 'hash', 'keep', 'null']);
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

test('the copy serves every read operation of the clients, and its audit trail stays intact', async () => {
  const reads = clientOperationNames('query');
  expect(reads.map((r) => r.name).filter((n) => !READS[n])).toEqual([]);
  const app = await startServer(config, copy);
  try {
    const failures: unknown[] = [];
    let profile: unknown;
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
      if (name === 'MyProfile') profile = root;
    }
    expect(failures).toEqual([]);
    expect(profile).toMatchObject({ id: fx.tenantId, firstName: 'Anoniem', email: null, iban: null, dateOfBirth: null });
    expect((profile as { lastName: string }).lastName).toMatch(/^anon-[0-9a-f]{64}$/);
  } finally {
    await app.stop();
  }
  // The reads appended audit events after the copied ones: the id sequence was set past them.
  const audit = await verifyAuditChains(copy);
  expect(audit.broken).toBeNull();
  expect(audit.events).toBeGreaterThan(report.tables.find((t) => t.table === 'audit_event')!.rows);
});

test('copies the audit trail as it is, ids included, and sets its sequence past them', async () => {
  // The copy now holds audit events (the reads above): a copy of the copy carries them over.
  const again = await openScratchDatabase(false);
  try {
    const second = await copyAnonymized(copy, again.dataSource, { key: KEY });
    const events = async (ds: DataSource) => ds.query('SELECT id, chain, seq, hash FROM audit_event ORDER BY id');
    const copied = await events(again.dataSource);
    expect(copied.length).toBeGreaterThan(0);
    expect(copied).toEqual(await events(copy));
    expect(second.sequences).toEqual([`public.audit_event_id_seq = ${Number(copied.at(-1).id) + 1}`]);
    expect((await verifyAuditChains(again.dataSource)).broken).toBeNull();
  } finally {
    await again.close();
  }
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
  await expect(copyAnonymized(source, copy, { key: KEY })).rejects.toThrow(TargetNotEmptyError);
  await expect(copyAnonymized(source, copy, { key: KEY })).rejects.toThrow(/target database is not empty \(.*tenant: \d+ rows/);
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
