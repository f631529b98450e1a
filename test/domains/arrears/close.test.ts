/** POLICY.md "Writes": ARREARS closes a case, which ends the bailiff's access to it at once. */
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { createArrearsCase, createTenant, one, organization } from '../../support/rows';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t?.close());

const CLOSE = 'mutation($id: ID!) { closeArrearsCase(caseId: $id) { id status } }';
const BAILIFF_READ = '{ arrearsCases { id amountDue tenant { lastName } lease { monthlyRent } } }';

test("closing a handed-over case ends the bailiff's access to the case, its tenant and lease at once", async () => {
  const tenant = await createTenant(t.dataSource);
  const bailiff = await organization(t.dataSource, 'BAILIFF', 2);
  const caseId = await createArrearsCase(t.dataSource, tenant, 'HANDED_TO_BAILIFF', bailiff.id);
  const before = await t.gql(BAILIFF_READ, {}, { token: tokens.org('bailiff', bailiff.id) });
  expect(before.data.arrearsCases.map((c: any) => c.id)).toContain(caseId);

  const closed = await t.gql(CLOSE, { id: caseId }, asStaff('ARREARS'));
  expect(closed.errors).toBeUndefined();
  expect(closed.data.closeArrearsCase).toEqual({ id: caseId, status: 'CLOSED' });
  expect(await one(t.dataSource, `SELECT status, closed_at FROM arrears_case WHERE id = $1`, [caseId])).toMatchObject({ status: 'CLOSED', closed_at: expect.any(Date) });

  const after = await t.gql(BAILIFF_READ, {}, { token: tokens.org('bailiff', bailiff.id) });
  expect(after.data.arrearsCases.map((c: any) => c.id)).not.toContain(caseId);
  const tenantRead = await t.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: tenant.tenantId }, { token: tokens.org('bailiff', bailiff.id) });
  expect(tenantRead.data?.tenant ?? null).toBeNull();
});

test('refuses a closed case, another purpose, and a case that does not exist alike', async () => {
  const tenant = await createTenant(t.dataSource);
  const caseId = await createArrearsCase(t.dataSource, tenant, 'CLOSED');
  expect(codes(await t.gql(CLOSE, { id: caseId }, asStaff('ARREARS')))).toEqual(['BAD_USER_INPUT']);
  const open = await createArrearsCase(t.dataSource, tenant, 'OPEN');
  expect(codes(await t.gql(CLOSE, { id: open }, asStaff('RENT_COLLECTION')))).toEqual(['FORBIDDEN']);
  expect(await one(t.dataSource, `SELECT status FROM arrears_case WHERE id = $1`, [open])).toEqual({ status: 'OPEN' });
  expect(codes(await t.gql(CLOSE, { id: 'ffffffff-0000-4000-8000-000000000000' }, asStaff('ARREARS')))).toEqual(['NOT_FOUND']);
});
