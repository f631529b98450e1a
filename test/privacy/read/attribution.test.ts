/**
 * A read is attributed by the path followed: an address reached through a tenant's lease (or a
 * work order) is that tenant's; a dwelling reached directly is its residents', and only those whose
 * lease covers the time of the read. So no tenant sees another's activity in their access log.
 */
import { grantOf } from '../../../src/privacy/policy/access';
import { ScopedReader } from '../../../src/privacy/read/scoped-reader';
import { startTestApp, TestApp, tokens } from '../../support/app';
import { createTenant, createWorkOrder, organization, ownId, OwnTenant } from '../../support/rows';

let t: TestApp;
let former: OwnTenant;
let resident: OwnTenant;
let future: OwnTenant;

const eventsOf = (operation: string) =>
  t.dataSource.query(`SELECT tenant_ids, fields FROM audit_event WHERE operation = $1 ORDER BY id`, [operation]);

beforeAll(async () => {
  t = await startTestApp();
  former = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  resident = await createTenant(t.dataSource, { lease: 'none', status: 'ACTIVE' });
  future = await createTenant(t.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
  // The former tenant's dwelling is let again; someone else's lease of it starts next year.
  await t.dataSource.query(
    `INSERT INTO lease (id, tenant_id, dwelling_id, start_date, end_date, monthly_rent) VALUES ($1, $2, $3, '2020-01-01', NULL, 800),
       ($4, $5, $3, (CURRENT_DATE + interval '1 year')::date, NULL, 800)`,
    [ownId(), resident.tenantId, former.dwellingId, ownId(), future.tenantId],
  );
  Object.assign(resident, { dwellingId: former.dwellingId });
});
afterAll(() => t?.close());

test("a former tenant's read of their old address is theirs, and not in the current resident's access log", async () => {
  const operation = `query FormerReadsOldAddress${Date.now()}`;
  const r = await t.gql(`${operation} { myProfile { leases { dwelling { address { street } } } } }`, {}, { token: tokens.tenant(former.tenantId) });
  expect(r.errors).toBeUndefined();
  expect(r.data.myProfile.leases[0].dwelling.address.street).toBe('Proefstraat');
  const [event] = await eventsOf(operation);
  expect(event.tenant_ids).toEqual([former.tenantId]);
  expect(event.fields).toContain('Dwelling.address');
  const log = await t.gql('{ myAccessLog { operation } }', {}, { token: tokens.tenant(resident.tenantId) });
  expect(log.data.myAccessLog.map((e: { operation: string }) => e.operation)).not.toContain(operation);
});

test("a contractor's read of the dwelling through a work order is the requester's", async () => {
  const contractor = await organization(t.dataSource, 'CONTRACTOR', 4);
  const order = await createWorkOrder(t.dataSource, resident, 'ASSIGNED', contractor.id);
  const operation = `query ContractorReadsDwelling${Date.now()}`;
  const r = await t.gql(`${operation}($id: ID!) { workOrder(id: $id) { dwelling { address { street } } } }`, { id: order }, { token: tokens.org('contractor', contractor.id) });
  expect(r.data.workOrder.dwelling.address.street).toBe('Proefstraat');
  const [event] = await eventsOf(operation);
  expect(event.tenant_ids).toEqual([resident.tenantId]);
});

test('a dwelling read directly is about its residents now: not a former one, not one whose lease has not started', async () => {
  const reader = new ScopedReader(t.dataSource, { sub: 's', role: 'staff', purposes: ['REPAIRS'], purpose: 'REPAIRS', audience: 'staff:REPAIRS' });
  const row = await reader.byId('Dwelling', former.dwellingId!);
  expect(grantOf(row)!.subject).toEqual([resident.tenantId]);
});
