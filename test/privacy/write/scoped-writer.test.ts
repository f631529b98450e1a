/** The scoped writer on its own: the policy's writers, the row scope and the catalog decide every write. */
import type { Viewer } from '../../../src/platform/auth/viewer';
import { AuditTrail } from '../../../src/platform/audit/audit-trail';
import { DatabaseTime, ScopedWriter } from '../../../src/privacy/write/scoped-writer';
import { startTestApp, TestApp } from '../../support/app';
import { createTenant, createWorkOrder, one, OwnTenant } from '../../support/rows';

let t: TestApp;
let me: OwnTenant;
let other: OwnTenant;
let othersOrder: string;

beforeAll(async () => {
  t = await startTestApp();
  me = await createTenant(t.dataSource);
  other = await createTenant(t.dataSource);
  othersOrder = await createWorkOrder(t.dataSource, other, 'REQUESTED');
});
afterAll(() => t?.close());

const tenantViewer = (id: string): Viewer => ({ sub: 'w', role: 'tenant', tenantId: id, purposes: [], audience: 'tenant' });
const staffViewer = (purpose: 'CONTRACT' | 'REPAIRS'): Viewer => ({ sub: 'w', role: 'staff', purposes: [purpose], purpose, audience: `staff:${purpose}` });

/** Runs `work` with a writer for `viewer` in a transaction; the error it throws, if any. */
async function attempt(viewer: Viewer, work: (w: ScopedWriter) => Promise<unknown>, trail?: AuditTrail): Promise<{ code?: string; message?: string } | undefined> {
  try {
    await t.dataSource.transaction((m) => work(new ScopedWriter(m, viewer, trail)));
    return undefined;
  } catch (error) {
    return { code: (error as { extensions?: { code?: string } }).extensions?.code, message: (error as Error).message };
  }
}

test('a field the audience is no writer of is FORBIDDEN, naming the field, and nothing is stored', async () => {
  expect(await attempt(tenantViewer(me.tenantId), (w) => w.update('Tenant', me.tenantId, { lastName: 'Anders' })))
    .toEqual({ code: 'FORBIDDEN', message: 'This role or purpose may not change lastName' });
  expect(await one(t.dataSource, 'SELECT last_name FROM tenant WHERE id = $1', [me.tenantId])).toEqual({ last_name: 'Mutatie' });
});

test('a name the policy does not declare is refused like a field one may not write', async () => {
  expect((await attempt(staffViewer('CONTRACT'), (w) => w.update('Tenant', me.tenantId, { first_name: 'X' })))?.code).toBe('FORBIDDEN');
});

test("an update of a row outside the caller's scope is NOT_FOUND and changes nothing", async () => {
  expect((await attempt(tenantViewer(me.tenantId), (w) => w.update('Tenant', other.tenantId, { email: 'x@voorbeeld.test' })))?.code).toBe('NOT_FOUND');
  expect(await one(t.dataSource, 'SELECT email FROM tenant WHERE id = $1', [other.tenantId])).toEqual({ email: other.email });
  expect(await attempt(tenantViewer(me.tenantId), async (w) => expect(await w.lock('WorkOrder', othersOrder)).toBeNull())).toBeUndefined();
});

test("an insert that would land outside the caller's scope is refused and undone", async () => {
  const before = await one(t.dataSource, 'SELECT count(*)::int AS n FROM work_order WHERE tenant_id = $1', [other.tenantId]);
  const refused = await attempt(tenantViewer(me.tenantId), (w) =>
    w.insert('WorkOrder', other.tenantId, { dwelling: other.dwellingId, description: 'Niet van mij', status: 'REQUESTED' }));
  expect(refused?.code).toBe('FORBIDDEN');
  expect(await one(t.dataSource, 'SELECT count(*)::int AS n FROM work_order WHERE tenant_id = $1', [other.tenantId])).toEqual(before);
});

test('a relation is written through its foreign key, a stored column by its declaration, times by the database', async () => {
  const order = await createWorkOrder(t.dataSource, me, 'REQUESTED');
  const [contractor] = await t.dataSource.query(`SELECT id FROM organization WHERE kind = 'CONTRACTOR' LIMIT 1`);
  expect(await attempt(staffViewer('REPAIRS'), (w) => w.update('WorkOrder', order, { contractor: contractor.id, status: 'ASSIGNED' }))).toBeUndefined();
  expect(await one(t.dataSource, 'SELECT contractor_id, status FROM work_order WHERE id = $1', [order])).toEqual({ contractor_id: contractor.id, status: 'ASSIGNED' });
  expect((await attempt(staffViewer('REPAIRS'), (w) => w.update('Tenant', me.tenantId, { restricted: true })))?.code).toBe('FORBIDDEN');
  let written: Record<string, unknown> = {};
  const contractorViewer: Viewer = { sub: 'w', role: 'contractor', orgId: contractor.id, purposes: [], audience: 'contractor' };
  expect(await attempt(contractorViewer, async (w) => { written = await w.update('WorkOrder', order, { status: 'DONE', completedAt: DatabaseTime.now }); })).toBeUndefined();
  expect(written.completedAt).toBeInstanceOf(Date);
});

test("personal fields written go into the request's audit trail with the tenant they are about", async () => {
  const trail = new AuditTrail();
  expect(await attempt(tenantViewer(me.tenantId), (w) => w.update('Tenant', me.tenantId, { phone: '+31970000' + String(Date.now()).slice(-4) }), trail)).toBeUndefined();
  expect(trail.fields).toEqual(['Tenant.phone (written)']);
  expect([...trail.tenantIds]).toEqual([me.tenantId]);
});

test("a job's writer writes only what the policy grants the job: retention masks and dates the anonymisation, nothing else", async () => {
  const gone = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  expect(await attemptJob((w) => w.updateAllAsJob('Tenant', [gone.tenantId], { restricted: true }))).toBe('FORBIDDEN');
  expect(await attemptJob((w) => w.update('Tenant', gone.tenantId, { email: null }))).toBe('FORBIDDEN');
  expect(await attemptJob(async (w) => {
    await w.mask([gone.tenantId]);
    await w.updateAllAsJob('Tenant', [gone.tenantId], { anonymizedAt: new Date('2026-01-02T00:00:00Z') });
  })).toBeUndefined();
  expect(await one(t.dataSource, 'SELECT email, anonymized_at FROM tenant WHERE id = $1', [gone.tenantId]))
    .toEqual({ email: null, anonymized_at: new Date('2026-01-02T00:00:00Z') });
  expect(await attempt(tenantViewer(me.tenantId), (w) => w.updateAllAsJob('Tenant', [me.tenantId], { anonymizedAt: new Date() })))
    .toMatchObject({ code: 'FORBIDDEN' });
});

async function attemptJob(work: (w: ScopedWriter) => Promise<unknown>): Promise<string | undefined> {
  try {
    await t.dataSource.transaction((m) => work(ScopedWriter.forJob(m, 'retention')));
    return undefined;
  } catch (error) {
    return (error as { extensions?: { code?: string } }).extensions?.code;
  }
}
