/** GDPR art. 18: while a tenant's processing is restricted, every purpose but PRIVACY is closed. */
import { asStaff, startTestApp, TestApp, tokens } from '../support/app';
import { createTenant } from '../support/rows';

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

test("a former tenant's address that is a restricted resident's home is closed to the purposes, not to PRIVACY", async () => {
  const former = await createTenant(t.dataSource, { lease: 'none', status: 'FORMER' });
  await t.dataSource.query(`
    INSERT INTO lease (tenant_id, dwelling_id, start_date, end_date, monthly_rent)
    SELECT $1, l.dwelling_id, '2012-01-01', '2014-12-31', 650 FROM lease l
    WHERE l.tenant_id = $2 AND l.start_date <= CURRENT_DATE AND (l.end_date IS NULL OR l.end_date >= CURRENT_DATE) LIMIT 1`, [former.tenantId, tenant.id]);
  const ADDRESS = 'query($id: ID!) { tenant(id: $id) { id address { street postalCode } } }';
  const streets = async () => Object.fromEntries(await Promise.all((['CONTRACT', 'LETTING', 'RENT_COLLECTION', 'PRIVACY'] as const).map(async (purpose) =>
    [purpose, (await t.gql(ADDRESS, { id: former.tenantId }, asStaff(purpose))).data.tenant?.address?.street ?? null])));
  await t.dataSource.query('UPDATE tenant SET restricted = false WHERE id = $1', [tenant.id]);
  const open = await streets();
  await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [tenant.id]);
  const readers = Object.keys(open).filter((p) => open[p] !== null && p !== 'PRIVACY');
  expect(readers.length).toBeGreaterThan(0);
  expect(open.PRIVACY).toEqual(expect.any(String));
  const closed = await streets();
  for (const purpose of readers) expect({ purpose, street: closed[purpose] }).toEqual({ purpose, street: null });
  expect(closed.PRIVACY).toBe(open.PRIVACY);
});

describe("a restricted resident's dwelling address", () => {
  let resident: { tenant_id: string; dwelling_id: string; project_id: string; builder_id: string };
  const PROJECTS = '{ renovationProjects { id dwellings { id address { street } } } }';
  const dwellingIn = (r: any) =>
    r.data.renovationProjects.find((p: any) => p.id === resident.project_id)?.dwellings.find((d: any) => d.id === resident.dwelling_id);

  beforeAll(async () => {
    // A resident of a running project's dwelling, away from the fixtures (which take the lowest ids).
    [resident] = await t.dataSource.query(`
      SELECT l.tenant_id, l.dwelling_id, p.id AS project_id, p.builder_id FROM renovation_project p
      JOIN renovation_project_dwelling rd ON rd.project_id = p.id
      JOIN lease l ON l.dwelling_id = rd.dwelling_id AND l.start_date <= CURRENT_DATE AND (l.end_date IS NULL OR l.end_date >= CURRENT_DATE)
      WHERE CURRENT_DATE BETWEEN p.starts_on AND p.ends_on AND l.tenant_id <> $1
      ORDER BY p.id DESC, rd.dwelling_id DESC LIMIT 1`, [tenant.id]);
    await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [resident.tenant_id]);
  });
  afterAll(() => t?.dataSource.query('UPDATE tenant SET restricted = false WHERE id = $1', [resident.tenant_id]));

  test.each([
    ['the builder', () => ({ token: tokens.org('builder', resident.builder_id) })],
    ['staff REPAIRS', () => asStaff('REPAIRS')],
  ] as const)('is closed to %s through renovationProjects', async (_who, caller) => {
    const r = await t.gql(PROJECTS, {}, caller());
    const dwelling = dwellingIn(r);
    expect(dwelling).toMatchObject({ id: resident.dwelling_id, address: null });
    expect(r.errors?.map((e: any) => e.extensions.code)).toContain('FORBIDDEN');
    // Other dwellings of the project keep theirs.
    const others = r.data.renovationProjects.find((p: any) => p.id === resident.project_id).dwellings.filter((d: any) => d.id !== resident.dwelling_id);
    if (others.length) expect(others.some((d: any) => d.address?.street)).toBe(true);
  });

  test('opens again once the restriction is lifted, and the privacy officer reads it meanwhile', async () => {
    const officer = await t.gql(PROJECTS, {}, asStaff('PRIVACY'));
    expect(dwellingIn(officer).address.street).toEqual(expect.any(String));
    await t.dataSource.query('UPDATE tenant SET restricted = false WHERE id = $1', [resident.tenant_id]);
    try {
      const builder = await t.gql(PROJECTS, {}, { token: tokens.org('builder', resident.builder_id) });
      expect(dwellingIn(builder).address.street).toEqual(expect.any(String));
    } finally {
      await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [resident.tenant_id]);
    }
  });
});
