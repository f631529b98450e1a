/** POLICY.md "Writes": CONTRACT ends a lease; the last one deregisters the tenant, in the same transaction. */
import { asStaff, codes, startTestApp, TestApp } from '../../support/app';
import { createTenant, one } from '../../support/rows';

let t: TestApp;
beforeAll(async () => { t = await startTestApp(); });
afterAll(() => t?.close());

const END = 'mutation($id: ID!, $end: LocalDate!) { endLease(id: $id, endDate: $end) { id endDate } }';
const tenantOf = (id: string) => one(t.dataSource, `SELECT status, deregistered_at FROM tenant WHERE id = $1`, [id]);

test('a tenant with a second running lease stays ACTIVE; ending the last one makes them FORMER with the end date', async () => {
  const tenant = await createTenant(t.dataSource);
  const second = await createTenant(t.dataSource);
  await t.dataSource.query(`UPDATE lease SET tenant_id = $1 WHERE id = $2`, [tenant.tenantId, second.leaseId]);
  expect(codes(await t.gql(END, { id: tenant.leaseId, end: '2026-03-31' }, asStaff('CONTRACT')))).toEqual([]);
  expect(await tenantOf(tenant.tenantId)).toEqual({ status: 'ACTIVE', deregistered_at: null });
  expect(codes(await t.gql(END, { id: second.leaseId, end: '2026-04-30' }, asStaff('CONTRACT')))).toEqual([]);
  expect(await tenantOf(tenant.tenantId)).toEqual({ status: 'FORMER', deregistered_at: new Date('2026-04-30T00:00:00Z') });
});

test('refuses an end before the start, a lease already ended, another purpose and a lease that does not exist; changes nothing', async () => {
  const tenant = await createTenant(t.dataSource);
  expect(codes(await t.gql(END, { id: tenant.leaseId, end: '2019-12-31' }, asStaff('CONTRACT')))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await t.gql(END, { id: tenant.leaseId, end: '2026-03-31' }, asStaff('LETTING')))).toEqual(['FORBIDDEN']);
  expect(await tenantOf(tenant.tenantId)).toEqual({ status: 'ACTIVE', deregistered_at: null });
  const former = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  expect(codes(await t.gql(END, { id: former.leaseId, end: '2026-03-31' }, asStaff('CONTRACT')))).toEqual(['BAD_USER_INPUT']);
  expect(codes(await t.gql(END, { id: 'ffffffff-0000-4000-8000-000000000000', end: '2026-03-31' }, asStaff('CONTRACT')))).toEqual(['NOT_FOUND']);
});
