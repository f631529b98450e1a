/**
 * Issue 17: the plans of the statements the API serves, at a million people on PostgreSQL. Each
 * client operation that reads people runs against the real server on a database of PEOPLE people
 * (test/support/scale-data.ts, ANALYZEd); every SELECT it sends is replayed with EXPLAIN ANALYZE
 * as PostgreSQL runs it for the API: a prepared statement's generic plan, a search's custom plan,
 * in a session with the API's settings. No plan may scan a person-sized table sequentially beyond
 * what a LIMIT stops, touch more than ROW_BUDGET rows in one node (a walk of the name index
 * filtering out a million rows is no sequential scan, and as slow), or compile with JIT.
 *
 * PostgreSQL only (the embedded database is one in-memory session; a million people there is a
 * measure of WASM, not of the plans). PLAN_TEST_PEOPLE sets the size (default 1,000,000).
 */
import { Client } from 'pg';
import type { Logger } from 'typeorm';
import { startServer, type App } from '../../../src/app/server';
import { PREPARE } from '../../../src/platform/db/prepared-client';
import { startupOptions } from '../../../src/platform/db/session-settings';
import { openScratchDatabase, type ScratchDatabase } from '../../support/scratch-db';
import { asStaff, Caller, config, tokens } from '../../support/app';
import { clientOperation } from '../../support/client-operations';
import { fetchJson } from '../../support/fetch-json';
import { loadScaleData, type ScaleData } from '../../support/scale-data';
import { COUNT_BOUND } from '../../../src/privacy/read/connection';

const PEOPLE = Number(process.env.PLAN_TEST_PEOPLE ?? 1_000_000);
/**
 * Rows a node may touch (returned plus filtered out, over all its loops): a common surname is about
 * 1% of the people, and its trigrams find a few more candidates than matches.
 */
const ROW_BUDGET = Math.max(20_000, PEOPLE / 25);
/** Tables this size or larger are person-sized. */
const PERSON_SIZED = PEOPLE / 10;
const onPostgres = Boolean(process.env.DATABASE_URL);

const sent: { sql: string; params: unknown[] }[] = [];
const logger: Logger = {
  logQuery: (sql, params) => void sent.push({ sql, params: (params as unknown[] | undefined) ?? [] }),
  logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {},
};

let db: ScratchDatabase;
let app: App;
let data: ScaleData;
let explainer: Client;
let bigTables: Set<string>;
let partitionOf: Map<string, string>;

(onPostgres ? describe : describe.skip)(`served statements at ${PEOPLE.toLocaleString('en')} people (PostgreSQL)`, () => {
  beforeAll(async () => {
    db = await openScratchDatabase({ tenantsPerStatus: 5 }, { logger });
    data = await loadScaleData(db.url, PEOPLE);
    app = await startServer(config, db.dataSource);
    explainer = new Client({ connectionString: db.url, options: startupOptions() });
    await explainer.connect();
    // A partitioned table (the audit trail, by month) counts whole, and a scan of one of its partitions as a scan of it.
    bigTables = new Set((await explainer.query(`
      SELECT COALESCE(p.relname, c.relname) AS relname FROM pg_class c
      LEFT JOIN pg_inherits i ON i.inhrelid = c.oid LEFT JOIN pg_class p ON p.oid = i.inhparent
      WHERE c.relkind = 'r' GROUP BY 1 HAVING sum(c.reltuples) >= $1`, [PERSON_SIZED])).rows.map((r) => r.relname));
    partitionOf = new Map((await explainer.query(`
      SELECT c.relname, p.relname AS parent FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent`)).rows
      .map((r) => [r.relname, r.parent]));
  }, 900_000);
  afterAll(async () => {
    await explainer?.end();
    await app?.stop();
    await db?.close();
  });

  async function send(file: string, name: string, caller: Caller, variables: Record<string, unknown> = {}) {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (caller.token) headers.authorization = `Bearer ${caller.token}`;
    if (caller.purpose) headers['x-purpose'] = caller.purpose;
    sent.length = 0;
    const { body } = await fetchJson(app.url, { method: 'POST', headers, body: JSON.stringify({ query: clientOperation(file, name), variables }) });
    expect(body.errors?.filter((e: any) => e.extensions?.code !== 'FORBIDDEN') ?? []).toEqual([]);
    return { body, statements: sent.filter((s) => /^\s*(SELECT|WITH)\b/i.test(s.sql) && !/\b(INSERT|UPDATE|DELETE)\b/i.test(s.sql)).map((s) => ({ ...s })) };
  }

  /** A value as an SQL literal of unknown type, which PostgreSQL reads as the parameter's type. */
  function literal(v: unknown): string {
    if (v === null || v === undefined) return 'NULL';
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (Array.isArray(v)) return literal(`{${v.map((x) => `"${String(x).replace(/(["\\])/g, '\\$1')}"`).join(',')}}`);
    if (v instanceof Date) return literal(v.toISOString());
    return `'${String(v).replace(/'/g, "''")}'`;
  }

  /** The plan PostgreSQL runs for the API: generic for a prepared statement, custom otherwise; executed. */
  async function explain(sql: string, params: unknown[]): Promise<any> {
    if (sql.endsWith(PREPARE)) {
      await explainer.query(`PREPARE served AS ${sql}`);
      try {
        await explainer.query('SET plan_cache_mode = force_generic_plan');
        const args = params.length ? `(${params.map(literal).join(', ')})` : '';
        return (await explainer.query(`EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE served${args}`)).rows[0]['QUERY PLAN'][0];
      } finally {
        await explainer.query('DEALLOCATE served');
      }
    }
    await explainer.query('SET plan_cache_mode = force_custom_plan');
    return (await explainer.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)).rows[0]['QUERY PLAN'][0];
  }

  /** Rows a node touches: returned plus filtered out, over all its loops. */
  const touchedBy = (node: any) =>
    ((node['Actual Rows'] ?? 0) + (node['Rows Removed by Filter'] ?? 0) + (node['Rows Removed by Index Recheck'] ?? 0)) * (node['Actual Loops'] ?? 1);
  const mostTouched = (node: any): number => Math.max(touchedBy(node), ...(node.Plans ?? []).map(mostTouched));
  /** The same, leaving out the sub-plans evaluated once for the statement (the count a page carries). */
  const mostTouchedByRows = (node: any): number =>
    Math.max(touchedBy(node), ...(node.Plans ?? []).filter((p: any) => p['Parent Relationship'] !== 'InitPlan').map(mostTouchedByRows));

  /** What is wrong with a plan: sequential scans of person-sized tables, nodes over the row budget, JIT. */
  function problems(plan: any): string[] {
    const found: string[] = [];
    if (plan.JIT) found.push(`JIT compiles it (${plan.JIT.Functions} functions)`);
    const walk = (node: any) => {
      const touched = touchedBy(node);
      // A sequential scan a LIMIT stops early (the first 10,001 rows of a bounded count) reads no
      // more than an index walk would; one that reads on past the budget is a scan of the table.
      const table = partitionOf.get(node['Relation Name']) ?? node['Relation Name'];
      if (node['Node Type'] === 'Seq Scan' && bigTables.has(table) && touched > ROW_BUDGET) {
        found.push(`sequential scan of ${node['Relation Name']}`);
      }
      if (touched > ROW_BUDGET) found.push(`${node['Node Type']}${node['Relation Name'] ? ` on ${node['Relation Name']}` : ''}${node['Index Name'] ? ` (${node['Index Name']})` : ''} touches ${touched} rows`);
      for (const child of node.Plans ?? []) walk(child);
    };
    walk(plan.Plan);
    return found;
  }

  async function expectPlansHold(file: string, name: string, caller: Caller, variables: Record<string, unknown> = {}) {
    const { body, statements } = await send(file, name, caller, variables);
    expect(statements.length).toBeGreaterThan(0);
    const report: string[] = [];
    for (const s of statements) {
      const wrong = problems(await explain(s.sql, s.params));
      if (wrong.length) report.push(`${wrong.join('; ')}\n  in: ${s.sql.replace(/\s+/g, ' ').slice(0, 400)}`);
    }
    expect(report).toEqual([]);
    return body;
  }

  test('the data is person-sized', () => {
    for (const table of ['tenant', 'audit_event', 'audit_event_subject', 'lease', 'work_order', 'invoice']) expect(bigTables).toContain(table);
  });

  test('the loaded tables are vacuumed as autovacuum leaves them: every page all visible (the bounded counts are index-only)', async () => {
    const { rows } = await explainer.query(`SELECT relname, relpages, relallvisible FROM pg_class WHERE relname = ANY($1) ORDER BY relname`,
      [['dwelling', 'invoice', 'lease', 'tenant', 'work_order']]);
    expect(rows).toHaveLength(5);
    for (const r of rows) expect({ table: r.relname, allVisible: r.relpages > 0 && r.relallvisible === r.relpages }).toEqual({ table: r.relname, allVisible: true });
  });

  test('TenantList, first page and a later one (staff LETTING)', async () => {
    const first = await expectPlansHold('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25 });
    expect(first.data.tenants.edges).toHaveLength(25);
    let after = first.data.tenants.pageInfo.endCursor;
    for (let page = 2; page < 21; page++) {
      const { body } = await send('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, after });
      after = body.data.tenants.pageInfo.endCursor;
    }
    await expectPlansHold('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, after });
  });

  test.each([
    ['a common surname', () => data.commonSurname],
    ['a rare surname part', () => 'Kuiverstra'],
    ['no match', () => 'Qwzxyv'],
    ['an exact email', () => 'persoon4242@voorbeeld.nl'],
    ['one letter', () => 'e'],
  ])('search: %s (staff LETTING)', async (_what, term) => {
    await expectPlansHold('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, search: term() });
  });

  test('search: a postcode (staff LETTING) finds the tenant living there, by index look-ups', async () => {
    const [{ postcode }] = (await explainer.query(`SELECT d.postal_code AS postcode FROM lease l JOIN dwelling d ON d.id = l.dwelling_id
      WHERE l.tenant_id = $1 AND l.end_date IS NULL`, [data.tenantId])).rows;
    const body = await expectPlansHold('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, search: postcode });
    expect(body.data.tenants.edges.map((e: any) => e.node.id)).toContain(data.tenantId);
  });

  test("a common surname's page walks its distinct names: a few pages of rows, not its thousands of holders", async () => {
    const { body, statements } = await send('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, search: data.commonSurname });
    expect(body.data.tenants.edges).toHaveLength(25);
    const [page] = statements.filter((s) => s.sql.includes('tenant_search_value'));
    expect(page).toBeDefined();
    const [{ holders }] = (await explainer.query(`SELECT sum(holders)::int AS holders FROM tenant_search_value WHERE value ILIKE $1`,
      [`%${data.commonSurname}%`])).rows;
    expect(holders).toBeGreaterThan(5_000);
    const plan = (await explain(page.sql, page.params)).Plan;
    expect(mostTouchedByRows(plan)).toBeLessThan(1_000);
    expect(mostTouchedByRows(plan)).toBeLessThan(mostTouched(plan)); // the count it carries is left out above
  });

  test('so does the bounded count it carries, and both stay walks where the visibility map is taken to be unset (autovacuum off)', async () => {
    const { statements } = await send('staff-dashboard.graphql', 'TenantList', asStaff('LETTING'), { first: 25, search: data.commonSurname });
    const walks = statements.filter((s) => s.sql.includes('tenant_search_value'));
    // One statement: the page, with its count.
    expect(walks).toHaveLength(1);
    expect(walks[0].sql).toMatch(/count\(\*\)/);
    const [{ relallvisible }] = (await explainer.query(`SELECT relallvisible FROM pg_class WHERE relname = 'tenant'`)).rows;
    try {
      for (const visible of [relallvisible, 0]) {
        await explainer.query(`UPDATE pg_class SET relallvisible = $1 WHERE relname = 'tenant'`, [visible]);
        for (const s of walks) {
          // A count reads its bound (1,001) through the name index, not the name's 25,000 holders.
          expect({ visible, touched: mostTouched((await explain(s.sql, s.params)).Plan) < 2_000 }).toEqual({ visible, touched: true });
        }
      }
    } finally {
      await explainer.query(`UPDATE pg_class SET relallvisible = $1 WHERE relname = 'tenant'`, [relallvisible]);
    }
  });

  test('TenantDetail (staff PRIVACY)', async () => {
    await expectPlansHold('staff-dashboard.graphql', 'TenantDetail', asStaff('PRIVACY'), { id: data.tenantId });
  });

  test.each([
    ['every order', {}],
    ['the open ones', { status: ['ASSIGNED', 'IN_PROGRESS'] }],
  ])('MyWorkOrders of the largest contractor, %s, its count included (contractor)', async (_what, filter) => {
    const contractor = { token: tokens.org('contractor', data.largestContractorId) };
    const first = await expectPlansHold('contractor-app.graphql', 'MyWorkOrders', contractor, { first: 20, ...filter });
    expect(first.data.workOrders.edges).toHaveLength(20);
    // Counted up to the bound: the largest contractor holds more orders than that at 100,000 people.
    const statuses = (filter as { status?: string[] }).status ?? ['REQUESTED', 'ASSIGNED', 'IN_PROGRESS', 'DONE', 'CANCELLED'];
    const [{ n }] = (await explainer.query('SELECT count(*)::int AS n FROM work_order WHERE contractor_id = $1 AND status = ANY($2)', [data.largestContractorId, statuses])).rows;
    expect(first.data.workOrders.totalCount).toBe(Math.min(n, COUNT_BOUND));
    await expectPlansHold('contractor-app.graphql', 'MyWorkOrders', contractor, { first: 20, after: first.data.workOrders.pageInfo.endCursor, ...filter });
  });

  test('OpenWorkOrders, first page and the next, its count included (staff REPAIRS)', async () => {
    const first = await expectPlansHold('staff-dashboard.graphql', 'OpenWorkOrders', asStaff('REPAIRS'), { first: 25 });
    expect(first.data.workOrders.edges).toHaveLength(25);
    await expectPlansHold('staff-dashboard.graphql', 'OpenWorkOrders', asStaff('REPAIRS'), { first: 25, after: first.data.workOrders.pageInfo.endCursor });
  });

  test('MyProfile and MyAccessLog (the tenant), AuditLog by tenant (staff PRIVACY)', async () => {
    await expectPlansHold('tenant-app.graphql', 'MyProfile', { token: tokens.tenant(data.tenantId) });
    const log = await expectPlansHold('tenant-app.graphql', 'MyAccessLog', { token: tokens.tenant(data.tenantId) }, { first: 20 });
    expect(log.data.myAccessLog.length).toBeGreaterThan(0);
    await expectPlansHold('staff-dashboard.graphql', 'AuditLog', asStaff('PRIVACY'), { tenantId: data.tenantId, first: 20 });
  });

  test("the access logs stay index walks while a month's partition fills after its statistics were taken empty", async () => {
    // A month analysed while empty (a database-wide ANALYZE does that to the months made ahead),
    // then filled with the tenant's events before anything analyses it again: the planner counts it
    // empty, and the walk must not turn into a scan of every partition held in memory.
    const month = "date_trunc('month', now()) + interval '2 months'";
    const [{ suffix }] = (await explainer.query(`SELECT to_char(${month}, 'YYYY_MM') AS suffix`)).rows;
    await explainer.query(`SELECT audit_ensure_partition((${month})::date)`);
    await explainer.query(`ANALYZE audit_event_p${suffix}, audit_event_subject_p${suffix}`);
    await explainer.query(`INSERT INTO audit_event (chain, seq, at, actor_sub, role, org_id, purpose, operation, tenant_ids, fields, prev_hash, hash)
      SELECT 'stale-statistics', s, ${month} + s * interval '1 second', 'plans-test', 'staff', NULL, 'LETTING', 'query TenantList',
        ARRAY[$1::uuid], ARRAY['Tenant.firstName'], NULL, md5(s::text)
      FROM generate_series(1, $2::int) AS s`, [data.tenantId, ROW_BUDGET]);
    const log = await expectPlansHold('tenant-app.graphql', 'MyAccessLog', { token: tokens.tenant(data.tenantId) }, { first: 20 });
    expect(log.data.myAccessLog[0].operation).toBe('query TenantList'); // the newest: that month's
    await expectPlansHold('staff-dashboard.graphql', 'AuditLog', asStaff('PRIVACY'), { tenantId: data.tenantId, first: 20 });
  });
});
