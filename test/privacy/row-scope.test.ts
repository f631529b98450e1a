/** POLICY.md "Row scope", role by role, on seeded data. */
import { asStaff, codes, startTestApp, TestApp, tokens } from '../support/app';
import { findFixtures, Fixtures } from '../support/fixtures';

let t: TestApp;
let fx: Fixtures;
const MISSING = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();

describe('tenant', () => {
  test('sees only its own record and what hangs from it', async () => {
    const r = await t.gql('{ myProfile { id leases { id } invoices { id } workOrders { id } } }', {}, { token: tokens.tenant(fx.tenantId) });
    expect(r.errors).toBeUndefined();
    expect(r.data.myProfile.id).toBe(fx.tenantId);
    const own = async (table: string) => ids(await t.dataSource.query(`SELECT id FROM ${table} WHERE tenant_id = $1`, [fx.tenantId]));
    expect(ids(r.data.myProfile.leases)).toEqual(await own('lease'));
    expect(ids(r.data.myProfile.invoices)).toEqual(await own('invoice'));
    expect(ids(r.data.myProfile.workOrders)).toEqual(await own('work_order'));
  });

  test('cannot look up another tenant', async () => {
    const r = await t.gql('query($id: ID!) { tenant(id: $id) { id firstName } }', { id: fx.otherTenantId }, { token: tokens.tenant(fx.tenantId) });
    expect(r.data.tenant).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
  });

  test('never sees the reporter of a nuisance case about it', async () => {
    const r = await t.gql('{ myProfile { nuisanceCases { id reportedBy { id firstName } } } }', {}, { token: tokens.tenant(fx.tenantId) });
    expect(r.data.myProfile.nuisanceCases.length).toBeGreaterThan(0);
    for (const c of r.data.myProfile.nuisanceCases) expect(c.reportedBy).toBeNull();
    expect(new Set(codes(r))).toEqual(new Set(['FORBIDDEN']));
  });
});

describe('contractor', () => {
  const caller = () => ({ token: tokens.org('contractor', fx.contractorId) });

  test('lists only the work orders of its own organisation', async () => {
    const r = await t.gql('{ workOrders(first: 100) { totalCount edges { node { id } } } }', {}, caller());
    const own = await t.dataSource.query('SELECT id FROM work_order WHERE contractor_id = $1', [fx.contractorId]);
    expect(r.data.workOrders.totalCount).toBe(own.length);
    const listed = r.data.workOrders.edges.map((e: any) => e.node.id);
    expect(listed.every((id: string) => own.some((o: any) => o.id === id))).toBe(true);
  });

  test("another contractor's order answers exactly like a missing one", async () => {
    const other = await t.gql('query($id: ID!) { workOrder(id: $id) { id description } }', { id: fx.otherContractorsOrderId }, caller());
    const missing = await t.gql('query($id: ID!) { workOrder(id: $id) { id description } }', { id: MISSING }, caller());
    expect(other.body).toEqual({ data: { workOrder: null } });
    expect(missing.body).toEqual(other.body);
  });

  test("an open order shows the requester's phone and the address, not the name (POLICY.md: phone and address)", async () => {
    const r = await t.gql(
      'query($id: ID!) { workOrder(id: $id) { status tenant { id phone } dwelling { address { street postalCode } } } }',
      { id: fx.openOrderId }, caller(),
    );
    expect(r.errors).toBeUndefined();
    const [stored] = await t.dataSource.query('SELECT phone FROM tenant WHERE id = $1', [fx.openOrderTenantId]);
    expect(r.data.workOrder.tenant).toMatchObject({ id: fx.openOrderTenantId, phone: stored.phone });
    expect(r.data.workOrder.dwelling.address.street).toBeTruthy();
    const named = await t.gql('query($id: ID!) { workOrder(id: $id) { tenant { firstName lastName } } }', { id: fx.openOrderId }, caller());
    expect(named.data.workOrder.tenant).toEqual({ firstName: null, lastName: null });
    expect(codes(named)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  test('a done order stays listed but its personal fields are closed', async () => {
    const r = await t.gql(
      'query($id: ID!) { workOrder(id: $id) { id status description tenant { id firstName lastName phone address { street } } dwelling { id address { street } } } }',
      { id: fx.doneOrderId }, caller(),
    );
    expect(r.data.workOrder).toMatchObject({ id: fx.doneOrderId, status: 'DONE' });
    // The description is the tenant's own words: personal, closed with the rest (POLICY.md 2026-12-01).
    expect(r.data.workOrder.description).toBeNull();
    expect(r.data.workOrder.tenant).toMatchObject({ firstName: null, lastName: null, phone: null, address: null });
    expect(r.data.workOrder.dwelling.address).toBeNull();
    expect(codes(r).length).toBe(6);
    expect(new Set(codes(r))).toEqual(new Set(['FORBIDDEN']));
  });

  test('a done order in the list closes the same fields, an open one in the same list does not', async () => {
    const r = await t.gql('{ workOrders(first: 100) { edges { node { id status tenant { phone } } } } }', {}, caller());
    for (const { node } of r.data.workOrders.edges) {
      if (['ASSIGNED', 'IN_PROGRESS'].includes(node.status)) expect(node.tenant.phone).toMatch(/^(\+31|0)6\d{8}$/);
      else expect(node.tenant.phone).toBeNull();
    }
  });

  test('cannot reach tenants, cases or projects', async () => {
    const r = await t.gql('query($id: ID!) { tenant(id: $id) { id } arrearsCases { id } renovationProjects { id } }', { id: fx.openOrderTenantId }, caller());
    expect(r.data).toEqual({ tenant: null, arrearsCases: null, renovationProjects: null });
    expect(codes(r)).toEqual(['FORBIDDEN', 'FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('builder', () => {
  const caller = () => ({ token: tokens.org('builder', fx.builderId) });

  test('sees its running projects with addresses, not finished ones nor other builders', async () => {
    const r = await t.gql('{ renovationProjects { id dwellings { id address { street city } } } }', {}, caller());
    expect(r.errors).toBeUndefined();
    const listed = ids(r.data.renovationProjects);
    const running = ids(await t.dataSource.query(
      'SELECT id FROM renovation_project WHERE builder_id = $1 AND CURRENT_DATE BETWEEN starts_on AND ends_on', [fx.builderId]));
    expect(listed).toEqual(running);
    expect(listed).toContain(fx.runningProjectId);
    expect(listed).not.toContain(fx.finishedProjectId);
    const dwellings = r.data.renovationProjects.flatMap((p: any) => p.dwellings);
    expect(dwellings.length).toBeGreaterThan(0);
    for (const d of dwellings) expect(d.address.street).toBeTruthy();
  });

  test('sees no tenant at all', async () => {
    const r = await t.gql('query($id: ID!) { tenant(id: $id) { id } tenants { totalCount } }', { id: fx.tenantId }, caller());
    expect(r.data).toEqual({ tenant: null, tenants: null });
    expect(codes(r)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('bailiff', () => {
  const caller = () => ({ token: tokens.org('bailiff', fx.bailiffId) });

  test('sees exactly the cases handed over to its own office', async () => {
    const r = await t.gql('{ arrearsCases { id status tenant { id lastName dateOfBirth } lease { id monthlyRent } } }', {}, caller());
    expect(r.errors).toBeUndefined();
    // Not those of a restricted tenant (art. 18) or of one whose objection to ARREARS was upheld (art. 21).
    const handed = await t.dataSource.query(
      `SELECT a.id FROM arrears_case a JOIN tenant x ON x.id = a.tenant_id WHERE a.bailiff_id = $1 AND a.status = 'HANDED_TO_BAILIFF'
         AND NOT x.restricted AND NOT 'ARREARS' = ANY (x.objected_purposes)`, [fx.bailiffId]);
    expect(ids(r.data.arrearsCases)).toEqual(ids(handed));
    expect(ids(r.data.arrearsCases)).not.toContain(fx.notHandedOverCaseId);
    expect(ids(r.data.arrearsCases)).not.toContain(fx.otherBailiffsCaseId);
    for (const c of r.data.arrearsCases) expect(c.tenant.lastName).toBeTruthy();
  });

  test('of the tenant sees name, birth date and address, nothing else', async () => {
    const r = await t.gql('{ arrearsCases { id tenant { firstName email phone iban invoices { id } } } }', {}, caller());
    const c = r.data.arrearsCases.find((x: any) => x.id === fx.handedOverCaseId);
    expect(c.tenant.firstName).toBeTruthy();
    expect(c.tenant).toMatchObject({ email: null, phone: null, iban: null, invoices: null });
  });
});

describe('staff', () => {
  test('reaches all rows; the purpose decides the fields', async () => {
    const r = await t.gql('{ arrearsCases { id } }', {}, asStaff('ARREARS'));
    // All but those of a restricted tenant (art. 18) or of one whose objection to ARREARS was upheld (art. 21),
    // which other test files may create meanwhile.
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM arrears_case a JOIN tenant x ON x.id = a.tenant_id
      WHERE NOT x.restricted AND NOT 'ARREARS' = ANY (x.objected_purposes)`);
    expect(r.data.arrearsCases.length).toBe(Math.min(n, 1000));
  });

  test('a purpose without arrears cannot list them', async () => {
    const r = await t.gql('{ arrearsCases { id } }', {}, asStaff('LETTING'));
    expect(r.data.arrearsCases).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
  });
});
