/**
 * POLICY.md as a property: for random callers (every role, every staff purpose, no purpose, a
 * purpose not granted, anonymous, forged and malformed tokens) and random queries generated from the
 * schema (see test/support/query-generator.ts), on seeded data where every personal column holds a
 * unique marker (see test/support/markers.ts for what is covered):
 * - no response is a 5xx, and no error is anything but a refusal or bad input (never INTERNAL_SERVER_ERROR);
 * - no marker appears that the caller's audience may not read (the field policy: `canRead`), or
 *   that belongs to a row outside the caller's row scope (tenant: its own rows; contractor: its
 *   orders, tenants and dwellings of its open ones; bailiff: its handed-over cases; builder: its
 *   running projects' dwellings) — a value the request itself carried (a search term) excepted;
 * - `tenants(search:)` finds only rows a field the caller may read matches (a search is no oracle).
 * Only queries are generated: mutations change data and have tests of their own. Identifiers,
 * enums, integers and booleans carry no marker (see markers.ts for the list printed at each run).
 *
 * Runs: LEAK_RUNS, else 2,000 on CI and 300 locally. A failure prints its seed; replay it with
 * LEAK_SEED=<seed> (and LEAK_RUNS as before) npx jest test/privacy/leak.property.test.ts.
 * LEAK_LOG=<file> appends every request and the start of its response to that file (JSON lines).
 */
import fc from 'fast-check';
import { GraphQLSchema } from 'graphql';
import { canRead } from '../../src/privacy/policy/access';
import { compiled } from '../../src/privacy/policy/compiled';
import { buildBareSchema } from '../../src/app/schema';
import { audienceFor, callerArbitrary, CallerSpec, headersOf, OrgRole, refusal, RowOracle } from '../support/leak-callers';
import { Marker, MarkerIndex, markersIn, plantMarkers } from '../support/markers';
import { appendFileSync } from 'node:fs';
import { buildQuery, GeneratedQuery, QueryGeneratorOptions } from '../support/query-generator';
import { RawResponse, ScratchApp, startScratchApp } from '../support/scratch-app';
import { openScratchDatabase, ScratchDatabase } from '../support/scratch-db';

const RUNS = Number(process.env.LEAK_RUNS) || (process.env.CI ? 2000 : 300);
const SEED = Number(process.env.LEAK_SEED) || Math.floor(Math.random() * 0x7fffffff);
/** Codes a response may carry: refusals and bad input. Anything else (INTERNAL_SERVER_ERROR) is a bug. */
const EXPECTED_CODES = new Set([
  'FORBIDDEN', 'UNAUTHENTICATED', 'BAD_USER_INPUT', 'NOT_FOUND', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED', 'BAD_REQUEST',
]);

let scratch: ScratchDatabase;
let server: ScratchApp;
let schema: GraphQLSchema;
let markers: MarkerIndex;
let oracle: RowOracle;
let ids: Record<string, string[]>;
let subs: string[];
let tenantIds: string[];
let orgIds: Record<OrgRole, string[]>;
/** Tenant id → its markers of searchable Tenant fields, for the search oracle. */
let searchable: Map<string, Marker[]>;

beforeAll(async () => {
  scratch = await openScratchDatabase({ tenantsPerStatus: 20 });
  schema = await buildBareSchema();
  markers = await plantMarkers(scratch.dataSource, schema);
  oracle = new RowOracle(scratch.dataSource);
  const ds = scratch.dataSource;
  ids = {};
  for (const { name: type, table } of compiled.tables) {
    if (table === 'audit_event') continue;
    ids[type] = (await ds.query(`SELECT id::text AS id FROM ${table} ORDER BY id`)).map((r: { id: string }) => r.id);
  }
  // Audit events appear while the test runs; their ids are sequence numbers.
  ids.AuditEvent = Array.from({ length: 50 }, (_, i) => String(i + 1));
  tenantIds = ids.Tenant;
  const orgsOf = async (kind: string) => (await ds.query(`SELECT id::text AS id FROM organization WHERE kind = $1`, [kind])).map((r: { id: string }) => r.id);
  orgIds = { contractor: await orgsOf('CONTRACTOR'), builder: await orgsOf('BUILDER'), bailiff: await orgsOf('BAILIFF') };
  subs = markers.actorSubs;
  searchable = new Map();
  for (const m of markers.textMarkers) {
    if (m.table !== 'tenant' || !m.rowId || !m.fields.some(([t, f]) => t === 'Tenant' && compiled.tableOf.get('Tenant')!.field.get(f)?.searchable)) continue;
    searchable.set(m.rowId, [...(searchable.get(m.rowId) ?? []), m]);
  }
  server = await startScratchApp(ds);
}, 180_000);

afterAll(async () => {
  await server?.close();
  await scratch?.close();
});

/** Search terms: whole markers of every kind, parts of them, and junk. */
function searchTerms(): string[] {
  const text = markers.textMarkers;
  const sample = (n: number) => Array.from({ length: n }, (_, i) => text[(i * 7919) % text.length].value);
  return [
    ...sample(60),
    ...sample(20).map((v) => v.slice(0, v.length - 3)), // a prefix: matches several rows of one field
    ...sample(10).map((v) => v.toLowerCase()),
    'MK_', 'MK_Tenant_iban', 'MK_Tenant_email', 'MK_Tenant_phone', 'MK_Tenant_firstName', 'MK_Tenant_lastName', 'iban', 'email',
    'a', 'e', '%', '_', '\\', '%_%', "' OR '1'='1", "'; DROP TABLE tenant; --", '$1', '::text', '*', '', '   ', 'é', '🙂',
    'x'.repeat(100), 'x'.repeat(101), 'NL', '06', '+31', '@', '.',
  ];
}

interface Stats {
  runs: number;
  withMarkers: number;
  statuses: Map<number, number>;
  roots: Map<string, number>;
  audiences: Map<string, number>;
  searches: number;
  ms: number;
}

/** Everything wrong with one response: leaks, 5xx, unexpected error codes. */
async function problemsOf(caller: CallerSpec, q: GeneratedQuery, res: RawResponse, stats: Stats): Promise<string[]> {
  const problems: string[] = [];
  const audience = audienceFor(caller);
  if (res.status >= 500) problems.push(`HTTP ${res.status}`);
  for (const e of (res.body?.errors ?? []) as { message?: string; path?: unknown[]; extensions?: { code?: string } }[]) {
    const code = String(e.extensions?.code);
    if (!EXPECTED_CODES.has(code)) problems.push(`error ${code} at ${JSON.stringify(e.path ?? [])}: ${e.message}`);
  }
  const found = markersIn(res.text, markers);
  if (found.length) stats.withMarkers++;
  const sent = JSON.stringify([q.query, q.variables]);
  const rows = await oracle.rowsOf(caller);
  for (const marker of found) {
    if (sent.includes(marker.value)) continue; // the caller's own search term, echoed
    const why = refusal(marker, audience, rows);
    if (why) problems.push(`LEAK ${marker.value} (${marker.fields.map((f) => f.join('.')).join(' / ')}): ${why}`);
  }
  return problems;
}

/**
 * `tenants(search:)` must be no oracle: rows found are only those whose searchable fields the
 * caller may read match, within its scope; the count no larger.
 */
async function searchProblems(caller: CallerSpec, q: GeneratedQuery, headers: Record<string, string>, stats: Stats): Promise<string[]> {
  const problems: string[] = [];
  const audience = audienceFor(caller);
  for (const call of q.roots) {
    const search = call.field === 'tenants' ? call.args.search : undefined;
    if (typeof search !== 'string' || !search.trim() || search.trim().length > 100) continue;
    const term = search.trim().toLowerCase();
    const res = await server.post(
      'query($s: String) { tenants(search: $s, first: 100) { totalCount edges { node { id } } } }', { s: search }, headers,
    );
    const page = res.body?.data?.tenants;
    if (!page) continue;
    stats.searches++;
    const rows = await oracle.rowsOf(caller);
    const allowed = new Set<string>();
    for (const [tenantId, ms] of searchable) {
      if (rows !== 'all' && !rows.open.get('tenant')?.has(tenantId)) continue;
      if (ms.some((m) => m.fields.some(([t, f]) => t === 'Tenant' && canRead(audience, t, f)) && m.value.toLowerCase().includes(term))) {
        allowed.add(tenantId);
      }
    }
    const foundIds: string[] = page.edges.map((e: { node: { id: string } | null }) => e.node?.id);
    const extra = foundIds.filter((id) => !allowed.has(id));
    if (extra.length) problems.push(`SEARCH ORACLE: search ${JSON.stringify(search)} as ${audience} found ${extra.join(', ')} through fields it may not read`);
    if (page.totalCount > allowed.size) {
      problems.push(`SEARCH ORACLE: search ${JSON.stringify(search)} as ${audience} counts ${page.totalCount} > ${allowed.size} matching readable rows`);
    }
  }
  return problems;
}

function describeCaller(caller: CallerSpec): string {
  return `${JSON.stringify(caller)} (audience ${audienceFor(caller)})`;
}

test('the markers are planted and a leak would be seen', async () => {
  // Coverage, for the record of what this property checks.
  const byField = markers.covered.map((c) => `${c.type}.${c.field} ← ${c.column} [${c.kind}, ${c.rows} rows]`);
  console.log(`leak property: markers in\n  ${byField.join('\n  ')}\nnot covered:\n  ${markers.uncovered.join('\n  ')}`);
  expect(markers.byValue.size).toBeGreaterThan(500);
  for (const field of ['firstName', 'lastName', 'email', 'phone', 'iban', 'dateOfBirth', 'registeredAt', 'address']) {
    expect(markers.covered.some((c) => c.type === 'Tenant' && c.field === field)).toBe(true);
  }

  // The detector finds a privacy officer's view, and would flag it for anyone who may not see it.
  const officer: CallerSpec = { kind: 'staff', sub: subs[0], purposes: ['PRIVACY'], xPurpose: 'PRIVACY' };
  // Every tenant of the scratch database: a few first ones by name may all be without a lease.
  const res = await server.post(
    '{ tenants(first: 100) { edges { node { id firstName email iban dateOfBirth registeredAt address { street postalCode } leases { monthlyRent startDate } invoices { amount } } } } }',
    undefined, headersOf(officer),
  );
  expect(res.status).toBe(200);
  const found = markersIn(res.text, markers);
  const kinds = new Set(found.flatMap((m) => m.fields.map((f) => f.join('.'))));
  for (const f of ['Tenant.firstName', 'Tenant.email', 'Tenant.iban', 'Tenant.dateOfBirth', 'Tenant.registeredAt', 'Tenant.address', 'Lease.monthlyRent', 'Invoice.amount']) {
    expect(kinds).toContain(f);
  }
  const stats: Stats = { runs: 0, withMarkers: 0, statuses: new Map(), roots: new Map(), audiences: new Map(), searches: 0, ms: 0 };
  const q: GeneratedQuery = { query: '{}', variables: {}, roots: [] };
  expect(await problemsOf(officer, q, res, stats)).toEqual([]);
  const asContractor: CallerSpec = { kind: 'org', sub: subs[0], role: 'contractor', orgId: orgIds.contractor[0] };
  expect((await problemsOf(asContractor, q, res, stats)).filter((p) => p.startsWith('LEAK')).length).toBeGreaterThan(0);
  const asOtherTenant: CallerSpec = { kind: 'tenant', sub: subs[0], tenantId: tenantIds[tenantIds.length - 1] };
  expect((await problemsOf(asOtherTenant, q, res, stats)).some((p) => p.includes("outside the caller's scope"))).toBe(true);
  expect((await problemsOf({ kind: 'anonymous' }, q, res, stats)).some((p) => p.includes('audience public may not read'))).toBe(true);
});

test(`no response leaks a marker its caller may not read, and none is a 5xx (${RUNS} random queries)`, async () => {
  const stats: Stats = { runs: 0, withMarkers: 0, statuses: new Map(), roots: new Map(), audiences: new Map(), searches: 0, ms: 0 };
  const bump = (m: Map<any, number>, k: unknown) => m.set(k, (m.get(k) ?? 0) + 1);
  const started = Date.now();
  const callers = callerArbitrary({
    tenantIds, orgIds, allOrgIds: [...orgIds.contractor, ...orgIds.builder, ...orgIds.bailiff], subs,
  });
  const options: QueryGeneratorOptions = { schema, ids, searchTerms: searchTerms() };
  const queryFields = Object.keys(schema.getQueryType()!.getFields());
  // Most queries call a root field the caller may call, so that they reach data; the rest any field.
  const cases = fc.tuple(callers, fc.gen()).map(([caller, g]) => {
    const audience = audienceFor(caller);
    // (The public privacy statement is no test of anything: not preferred.)
    const preferred = queryFields.filter((f) => f !== 'privacyStatement' && canRead(audience, 'Query', f));
    return { caller, q: buildQuery(g, options, preferred) };
  });
  console.log(`leak property: seed ${SEED}, ${RUNS} runs (replay: LEAK_SEED=${SEED} LEAK_RUNS=${RUNS})`);
  await fc.assert(
    fc.asyncProperty(cases, async ({ caller, q }) => {
      const headers = headersOf(caller);
      const res = await server.post(q.query, q.variables, headers, q.operationName);
      if (process.env.LEAK_LOG) {
        appendFileSync(process.env.LEAK_LOG, `${JSON.stringify({ caller, audience: audienceFor(caller), ...q, status: res.status, response: res.text.slice(0, 500) })}\n`);
      }
      stats.runs++;
      bump(stats.statuses, res.status);
      bump(stats.audiences, audienceFor(caller));
      for (const r of q.roots) bump(stats.roots, r.field);
      const problems = [...(await problemsOf(caller, q, res, stats)), ...(await searchProblems(caller, q, headers, stats))];
      if (problems.length) {
        throw new Error(
          `${problems.join('\n')}\ncaller: ${describeCaller(caller)}\nquery: ${q.query}\nvariables: ${JSON.stringify(q.variables)}` +
          `\nHTTP ${res.status}: ${res.text.slice(0, 2000)}`,
        );
      }
    }),
    { seed: SEED, numRuns: RUNS, verbose: 1 },
  );
  stats.ms = Date.now() - started;
  const fmt = (m: Map<any, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k}: ${v}`).join(', ');
  console.log(
    `leak property: ${stats.runs} queries in ${(stats.ms / 1000).toFixed(1)} s; ${stats.withMarkers} responses carried markers; ` +
    `${stats.searches} search oracle checks\n  HTTP ${fmt(stats.statuses)}\n  roots ${fmt(stats.roots)}\n  audiences ${fmt(stats.audiences)}`,
  );
  // The property is not vacuous: many responses did carry (permitted) personal data.
  expect(stats.withMarkers).toBeGreaterThan(stats.runs / 10);
}, 120_000 + RUNS * 250);
