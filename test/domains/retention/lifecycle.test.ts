/**
 * The lifecycle through the API, then retention as of later dates (POLICY.md "Retention"): a tenant
 * deregistered by endLease is anonymised a year later and not before; a home seeker's registration
 * not renewed for a year ends, and a year after that the person is anonymised; an erasure held back
 * by a lease completes once the lease has ended, and the tenant is told; fiscal rows go at their date.
 */
import { runRetention } from '../../../src/domains/retention/retention';
import { asOfDate } from '../../../scripts/retention';
import { tokens } from '../../support/app';
import { createArrearsCase, createRequest, createTenant, one } from '../../support/rows';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { ScratchApp, startScratchApp } from '../../support/scratch-app';

let db: ScratchDatabase;
let server: ScratchApp;

beforeAll(async () => {
  db = await openScratchDatabase({ tenantsPerStatus: 4 });
  server = await startScratchApp(db.dataSource);
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

const staff = (purpose: string) => ({ authorization: `Bearer ${tokens.staff(purpose as 'CONTRACT')}`, 'x-purpose': purpose });
const tenantRow = (id: string) => one(db.dataSource, `SELECT * FROM tenant WHERE id = $1`, [id]);
const END_LEASE = 'mutation($id: ID!, $end: LocalDate!) { endLease(id: $id, endDate: $end) { id endDate } }';

test('a tenant deregistered through endLease is anonymised by retention a year after the end date, and not before', async () => {
  const tenant = await createTenant(db.dataSource);
  const ended = await server.post(END_LEASE, { id: tenant.leaseId, end: '2026-01-31' }, staff('CONTRACT'));
  expect(ended.body.errors).toBeUndefined();
  expect(ended.body.data.endLease).toEqual({ id: tenant.leaseId, endDate: '2026-01-31' });
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ status: 'FORMER', deregistered_at: new Date('2026-01-31T00:00:00Z') });

  await runRetention(db.dataSource, { now: asOfDate('2027-01-30') });
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ anonymized_at: null, email: tenant.email, last_name: 'Mutatie' });

  await runRetention(db.dataSource, { now: asOfDate('2027-02-01') });
  const after = await tenantRow(tenant.tenantId);
  expect(after).toMatchObject({ first_name: 'Anoniem', last_name: 'Geanonimiseerd', email: null, phone: null, iban: null });
  expect(after.anonymized_at).toEqual(new Date('2027-02-01T00:00:00Z'));
  expect(await one(db.dataSource, `SELECT dwelling_id FROM lease WHERE id = $1`, [tenant.leaseId])).toEqual({ dwelling_id: null });
});

test('a lease ended ahead of its date leaves its tenant ACTIVE until then; retention deregisters them as of the end date, and anonymises a year later', async () => {
  const tenant = await createTenant(db.dataSource);
  const [{ end }] = await db.dataSource.query(`SELECT (CURRENT_DATE + 40)::text AS "end"`);
  const ended = await server.post(END_LEASE, { id: tenant.leaseId, end }, staff('CONTRACT'));
  expect(ended.body.errors).toBeUndefined();
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ status: 'ACTIVE', deregistered_at: null });
  const dayAfter = (date: string, days: number) => new Date(new Date(`${date}T00:00:00Z`).getTime() + days * 86_400_000);

  // On the end date the lease still runs.
  expect((await runRetention(db.dataSource, { now: dayAfter(end, 0) })).tenanciesEnded).toBe(0);
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ status: 'ACTIVE', deregistered_at: null });
  const dry = await runRetention(db.dataSource, { now: dayAfter(end, 1), dryRun: true });
  expect(dry.tenanciesEnded).toBeGreaterThanOrEqual(1);
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ status: 'ACTIVE' });

  const run = await runRetention(db.dataSource, { now: dayAfter(end, 1) });
  expect(run.tenanciesEnded).toBeGreaterThanOrEqual(1);
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ status: 'FORMER', deregistered_at: new Date(`${end}T00:00:00Z`), anonymized_at: null });
  expect((await runRetention(db.dataSource, { now: dayAfter(end, 1) })).tenanciesEnded).toBe(0);

  await runRetention(db.dataSource, { now: dayAfter(end, 367) });
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ last_name: 'Geanonimiseerd', email: null });
});

test('a home seeker registered through the API: renewal keeps the registration, a year without one ends it, a year later the person is anonymised', async () => {
  const register = await server.post(
    'mutation($input: HomeSeekerInput!) { registerHomeSeeker(input: $input) { id status firstName } }',
    { input: { firstName: 'Wieke', lastName: 'Zoekers', dateOfBirth: '1990-05-06', email: 'wieke.zoekers@voorbeeld.test', householdSize: 2 } },
    staff('LETTING'),
  );
  expect(register.body.errors).toBeUndefined();
  const id = register.body.data.registerHomeSeeker.id;
  expect(register.body.data.registerHomeSeeker).toMatchObject({ status: 'HOME_SEEKER', firstName: 'Wieke' });
  // Registered almost a year ago.
  await db.dataSource.query(`UPDATE tenant SET registered_at = registered_at - interval '360 days' WHERE id = $1`, [id]);
  const registeredAt: Date = (await tenantRow(id)).registered_at;
  const yearAfter = (d: Date, days: number) => new Date(d.getTime() + (365 + days) * 86_400_000);

  await runRetention(db.dataSource, { now: yearAfter(registeredAt, -2) });
  expect(await tenantRow(id)).toMatchObject({ status: 'HOME_SEEKER', deregistered_at: null });

  const renew = await server.post('mutation($id: ID!) { renewRegistration(id: $id) { id } }', { id }, staff('LETTING'));
  expect(renew.body.errors).toBeUndefined();
  const renewedAt: Date = (await tenantRow(id)).registration_renewed_at;
  // A year after the registration, but not after the renewal.
  await runRetention(db.dataSource, { now: yearAfter(registeredAt, 2) });
  expect((await tenantRow(id)).status).toBe('HOME_SEEKER');

  const lapse = yearAfter(renewedAt, 2);
  await runRetention(db.dataSource, { now: lapse });
  expect(await tenantRow(id)).toMatchObject({ status: 'FORMER', deregistered_at: lapse, anonymized_at: null, first_name: 'Wieke' });

  await runRetention(db.dataSource, { now: yearAfter(lapse, 2) });
  expect(await tenantRow(id)).toMatchObject({ first_name: 'Anoniem', email: null });
});

test('endRegistration deregisters a home seeker; refused for anyone who is not one, and for a purpose other than LETTING', async () => {
  const seeker = await createTenant(db.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
  const other = await server.post('mutation($id: ID!) { endRegistration(id: $id) { id } }', { id: seeker.tenantId }, staff('CONTRACT'));
  expect(other.body.errors.map((e: any) => e.extensions.code)).toEqual(['FORBIDDEN']);
  const ended = await server.post('mutation($id: ID!) { endRegistration(id: $id) { id status } }', { id: seeker.tenantId }, staff('LETTING'));
  expect(ended.body.data.endRegistration).toEqual({ id: seeker.tenantId, status: 'FORMER' });
  expect((await tenantRow(seeker.tenantId)).deregistered_at).not.toBeNull();
  const again = await server.post('mutation($id: ID!) { endRegistration(id: $id) { id } }', { id: seeker.tenantId }, staff('LETTING'));
  expect(again.body.errors.map((e: any) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
});

test('an erasure held back by a running lease completes when the last lease has ended, and the tenant is told', async () => {
  const tenant = await createTenant(db.dataSource);
  const requestId = await createRequest(db.dataSource, tenant.tenantId, 'ERASURE');
  const resolved = await server.post('mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id } }', { id: requestId }, staff('PRIVACY'));
  expect(resolved.body.errors).toBeUndefined();
  expect(await one(db.dataSource, `SELECT awaiting_lease_end FROM data_subject_request WHERE id = $1`, [requestId])).toEqual({ awaiting_lease_end: true });
  expect((await tenantRow(tenant.tenantId)).email).toBe(tenant.email);

  // While the lease runs, the job leaves it.
  await runRetention(db.dataSource, { now: new Date() });
  expect((await tenantRow(tenant.tenantId)).anonymized_at).toBeNull();

  const today = new Date().toISOString().slice(0, 10);
  expect((await server.post(END_LEASE, { id: tenant.leaseId, end: today }, staff('CONTRACT'))).body.errors).toBeUndefined();
  const tomorrow = new Date(Date.now() + 86_400_000);
  const summary = await runRetention(db.dataSource, { now: tomorrow });
  expect(summary.erasuresCompleted).toBe(1);
  expect(await tenantRow(tenant.tenantId)).toMatchObject({ email: null, first_name: 'Anoniem' });
  expect(await one(db.dataSource, `SELECT awaiting_lease_end, outcome FROM data_subject_request WHERE id = $1`, [requestId]))
    .toMatchObject({ awaiting_lease_end: false, outcome: expect.stringMatching(/^Anonymised/) });
  const inbox = await server.post('{ myNotifications { kind message } }', {}, { authorization: `Bearer ${tokens.tenant(tenant.tenantId)}` });
  expect(inbox.body.data.myNotifications.map((n: any) => n.message)).toContainEqual(expect.stringMatching(/volledig uitgevoerd/));
  expect((await runRetention(db.dataSource, { now: tomorrow })).erasuresCompleted).toBe(0);
});

test('a lease and a closed arrears case are deleted seven years after the end of their fiscal year, not before', async () => {
  const tenant = await createTenant(db.dataSource, { lease: 'ended', status: 'FORMER' });
  const caseId = await createArrearsCase(db.dataSource, tenant, 'CLOSED');
  await db.dataSource.query(`UPDATE arrears_case SET closed_at = '2020-03-01' WHERE id = $1`, [caseId]);
  // The lease ended in 2019, the case closed in 2020: the lease waits for the case that refers to it.
  const dry = await runRetention(db.dataSource, { now: asOfDate('2027-06-01'), dryRun: true });
  expect(dry.deleted.ArrearsCase).toBeGreaterThanOrEqual(0);
  await runRetention(db.dataSource, { now: asOfDate('2027-06-01') });
  expect(await one(db.dataSource, `SELECT id FROM lease WHERE id = $1`, [tenant.leaseId])).toBeDefined();
  expect(await one(db.dataSource, `SELECT id FROM arrears_case WHERE id = $1`, [caseId])).toBeDefined();
  await runRetention(db.dataSource, { now: asOfDate('2028-01-01') });
  expect(await one(db.dataSource, `SELECT id FROM arrears_case WHERE id = $1`, [caseId])).toBeUndefined();
  expect(await one(db.dataSource, `SELECT id FROM lease WHERE id = $1`, [tenant.leaseId])).toBeUndefined();
});

test('--as-of takes a calendar date only', () => {
  expect(asOfDate('2027-02-01')).toEqual(new Date('2027-02-01T00:00:00Z'));
  expect(() => asOfDate('2027-02-30')).toThrow(/YYYY-MM-DD/);
  expect(asOfDate(undefined)).toBeUndefined();
});
