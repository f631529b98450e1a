/** GDPR art. 18: while a tenant's processing is restricted, every purpose but PRIVACY is closed. */
import { asStaff, startTestApp, TestApp, tokens } from '../support/app';

let t: TestApp;
let tenant: { id: string; last_name: string };

beforeAll(async () => {
  t = await startTestApp();
  // A tenant of its own, away from the shared fixtures (which take the lowest ids).
  [tenant] = await t.dataSource.query(`
    SELECT t.id, t.last_name FROM tenant t WHERE t.status = 'ACTIVE'
      AND EXISTS (SELECT 1 FROM invoice i WHERE i.tenant_id = t.id)
    ORDER BY t.id DESC OFFSET 11 LIMIT 1`);
  await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [tenant.id]);
});
afterAll(async () => {
  await t?.dataSource.query('UPDATE tenant SET restricted = false WHERE id = $1', [tenant.id]);
  await t?.close();
});

const DETAIL = 'query($id: ID!) { tenant(id: $id) { id lastName invoices { id } } }';

test.each(['REPAIRS', 'CONTRACT', 'LETTING', 'RENT_COLLECTION', 'ARREARS', 'NUISANCE'] as const)(
  '%s no longer finds the tenant, and it answers like a missing one', async (purpose) => {
    const r = await t.gql(DETAIL, { id: tenant.id }, asStaff(purpose));
    expect(r.body).toEqual({ data: { tenant: null } });
    const search = await t.gql('query($s: String) { tenants(search: $s, first: 100) { edges { node { id } } } }', { s: tenant.last_name }, asStaff(purpose));
    expect(search.data.tenants.edges.map((e: any) => e.node.id)).not.toContain(tenant.id);
  },
);

test("the restriction also closes the tenant's rows in lists", async () => {
  const r = await t.gql('{ arrearsCases { id tenant { id } } }', {}, asStaff('ARREARS'));
  const ids = r.data.arrearsCases.map((c: any) => c.tenant?.id);
  expect(ids).not.toContain(tenant.id);
});

test('PRIVACY and the tenant itself still read it', async () => {
  const officer = await t.gql(DETAIL, { id: tenant.id }, asStaff('PRIVACY'));
  expect(officer.data.tenant).toMatchObject({ id: tenant.id, lastName: tenant.last_name });
  expect(officer.data.tenant.invoices.length).toBeGreaterThan(0);
  const self = await t.gql('{ myProfile { id lastName invoices { id } } }', {}, { token: tokens.tenant(tenant.id) });
  expect(self.data.myProfile).toMatchObject({ id: tenant.id, lastName: tenant.last_name });
});
