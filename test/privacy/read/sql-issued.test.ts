/**
 * The SQL a request issues: only columns the caller may read are selected, row scopes are WHERE
 * clauses, and relations load in batches, so the number of statements does not grow with the rows.
 */
import { SqlRecorder } from '../../support/sql-recorder';
import { clientOperation } from '../../support/clients';
import { asStaff, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

const recorder = new SqlRecorder();
let t: TestApp;
let fx: Fixtures;

const operation = clientOperation;

beforeAll(async () => {
  t = await startTestApp({ logger: recorder });
  fx = await findFixtures(t.dataSource);
  // Warm-up: the first audited response reads the audit chain's anchor once.
  await t.gql('query($id: ID!) { tenant(id: $id) { lastName } }', { id: fx.tenantId }, asStaff('REPAIRS'));
});
afterAll(() => t?.close());

async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  recorder.statements = [];
  await run();
  return recorder.statements.filter((s) => !/^(START TRANSACTION|COMMIT|ROLLBACK)/.test(s));
}

test("a contractor's request never selects the IBAN or other columns it may not read", async () => {
  const sql = await statementsOf(() => t.gql(operation('contractor-app.graphql', 'MyWorkOrders'), { first: 50 }, { token: tokens.org('contractor', fx.contractorId) }));
  const selects = sql.filter((s) => s.startsWith('SELECT') && !s.includes('audit_event'));
  expect(selects.length).toBeGreaterThan(1);
  for (const s of selects) {
    expect(s).not.toMatch(/\biban\b|\bemail\b|date_of_birth|income_category|household_size/);
    expect(s).toMatch(/contractor_id = \$|w\.contractor_id = \$/); // the row scope is in the WHERE clause
  }
});

test('a done order does not even select the personal columns its purpose no longer allows', async () => {
  const sql = await statementsOf(() => t.gql('query($id: ID!) { workOrder(id: $id) { tenant { firstName phone } dwelling { address { street } } } }', { id: fx.doneOrderId }, { token: tokens.org('contractor', fx.contractorId) }));
  const tenantSelect = sql.find((s) => /FROM tenant AS tenant/.test(s))!;
  expect(tenantSelect).toBeDefined();
  expect(tenantSelect).not.toMatch(/first_name|phone/);
});

test("a dwelling's residents are looked up for the audit only when its address is read", async () => {
  const dwellingSelect = async (query: string) => (await statementsOf(() => t.gql(query, {}, { token: tokens.org('builder', fx.builderId) })))
    .find((s) => /FROM dwelling AS dwelling/.test(s))!;
  expect(await dwellingSelect('{ renovationProjects { dwellings { address { street } } } }')).toMatch(/ARRAY\(SELECT lease\.\"tenant_id\" FROM lease/);
  expect(await dwellingSelect('{ renovationProjects { dwellings { id } } }')).not.toMatch(/FROM lease/);
});

test('staff REPAIRS does not select the IBAN even when asked for it; RENT_COLLECTION does', async () => {
  const query = 'query($id: ID!) { tenant(id: $id) { id lastName iban } }';
  const repairs = await statementsOf(() => t.gql(query, { id: fx.tenantId }, asStaff('REPAIRS')));
  expect(repairs.find((s) => /FROM tenant AS tenant/.test(s))).not.toMatch(/\biban\b/);
  const rent = await statementsOf(() => t.gql(query, { id: fx.tenantId }, asStaff('RENT_COLLECTION')));
  expect(rent.find((s) => /FROM tenant AS tenant/.test(s))).toMatch(/\biban\b/);
});

test('TenantList issues the same number of statements for 10 and for 100 rows', async () => {
  const list = operation('staff-dashboard.graphql', 'TenantList');
  const ten = await statementsOf(() => t.gql(list, { first: 10 }, asStaff('LETTING')));
  const hundred = await statementsOf(() => t.gql(list, { first: 100 }, asStaff('LETTING')));
  expect(ten.length).toBeGreaterThan(0);
  expect(hundred.length).toBe(ten.length);
});

test('a count the query reads comes in the page\'s statement: no statement of its own', async () => {
  const reads = (sql: string[]) => sql.filter((s) => !s.includes('audit_event'));
  // TenantList: its page and count are one statement.
  const list = reads(await statementsOf(() => t.gql(operation('staff-dashboard.graphql', 'TenantList'), { first: 10 }, asStaff('LETTING'))));
  expect(list).toHaveLength(1);
  expect(list[0]).toMatch(/count\(\*\)/);
  // MyWorkOrders: the page with its count, the dwellings, the tenants.
  const orders = reads(await statementsOf(() => t.gql(operation('contractor-app.graphql', 'MyWorkOrders'), { first: 20 }, { token: tokens.org('contractor', fx.contractorId) })));
  expect(orders).toHaveLength(3);
  expect(orders.filter((s) => /count\(\*\)/.test(s))).toHaveLength(1);
  // Not asked for, not counted.
  const uncounted = reads(await statementsOf(() => t.gql('{ tenants(first: 5) { edges { node { id lastName } } } }', {}, asStaff('LETTING'))));
  expect(uncounted).toHaveLength(1);
  expect(uncounted[0]).not.toMatch(/count\(\*\)/);
});

test("a dwelling's residents are looked up once per row, however many of its columns they close", async () => {
  const sql = await statementsOf(() => t.gql(operation('contractor-app.graphql', 'MyWorkOrders'), { first: 20 }, { token: tokens.org('contractor', fx.contractorId) }));
  const dwellings = sql.filter((s) => /FROM dwelling AS dwelling/.test(s));
  expect(dwellings).toHaveLength(1);
  // The address and the row's subjects both follow the residents' restriction and anonymisation.
  expect(dwellings[0]).toMatch(/CASE WHEN row_open\.open THEN json_build_object/);
  expect(dwellings[0].match(/subject\.restricted/g)).toHaveLength(1);
});

test('TenantDetail issues at most one statement per relation it asks for, whatever the data', async () => {
  const detail = operation('staff-dashboard.graphql', 'TenantDetail');
  // tenant, leases, dwellings, work orders, contractors, invoices, arrears cases, bailiffs,
  // nuisance cases, reporters, disclosures, and the audit event.
  const bound = 12;
  for (const id of [fx.tenantId, fx.otherTenantId, fx.handedOverTenantId]) {
    const sql = await statementsOf(() => t.gql(detail, { id }, asStaff('PRIVACY')));
    expect(sql.length).toBeLessThanOrEqual(bound);
  }
});

test('MyWorkOrders issues the same number of statements for 2 and for 100 orders', async () => {
  const orders = operation('contractor-app.graphql', 'MyWorkOrders');
  const few = await statementsOf(() => t.gql(orders, { first: 2 }, { token: tokens.org('contractor', fx.contractorId) }));
  const many = await statementsOf(() => t.gql(orders, { first: 100 }, { token: tokens.org('contractor', fx.contractorId) }));
  expect(many.length).toBe(few.length);
});

describe('only the columns a request asks for are selected, of those the caller may read', () => {
  /** The select list of the statement that reads tenants (ORDER BY and WHERE may name other columns). */
  const tenantSelect = (sql: string[]) => sql.find((s) => /FROM tenant AS tenant/.test(s))!.split(/FROM tenant AS tenant/)[0];

  test('a list asking for two fields selects two columns, even for a purpose that may read all', async () => {
    const sql = await statementsOf(() => t.gql('{ tenants(first: 5) { edges { node { id lastName } } } }', {}, asStaff('PRIVACY')));
    const select = tenantSelect(sql);
    expect(select).toMatch(/last_name/);
    expect(select).not.toMatch(/first_name|email|\biban\b|phone|date_of_birth|income_category|FROM lease/);
  });

  test('fields asked for through fragments are selected', async () => {
    const query = `{ tenants(first: 5) { edges { node { ...Contact ... on Tenant { address { city } } } } } }
      fragment Contact on Tenant { email }`;
    const select = tenantSelect(await statementsOf(() => t.gql(query, {}, asStaff('PRIVACY'))));
    expect(select).toMatch(/email/);
    expect(select).toMatch(/FROM lease/); // the address
    expect(select).not.toMatch(/\biban\b|phone|last_name/);
  });

  test("MyWorkOrders' tenants: the contractor app's phone, not the name it may not read nor the address it does not ask for", async () => {
    const orders = operation('contractor-app.graphql', 'MyWorkOrders');
    const select = tenantSelect(await statementsOf(() => t.gql(orders, { first: 20 }, { token: tokens.org('contractor', fx.contractorId) })));
    expect(select).toMatch(/phone/);
    expect(select).not.toMatch(/first_name|last_name|FROM lease|email|date_of_birth/);
  });
});
