import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createRequest, createTenant, one } from '../../support/rows';

const REQUEST_ERASURE = clientOperation('tenant-app.graphql', 'RequestErasure');
const RESOLVE = clientOperation('staff-dashboard.graphql', 'ResolveDataSubjectRequest');

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

// The consent in force is derived from the consent records, as Tenant.analyticsConsent is.
const tenantRow = (id: string) => one(t.dataSource, `SELECT *,
  EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = tenant.id AND c.withdrawn_at IS NULL) AS analytics_consent
  FROM tenant WHERE id = $1`, [id]);
const request = (id: string) => one(t.dataSource, `SELECT * FROM data_subject_request WHERE id = $1`, [id]);
// Without the privacy-statement broadcast, which another test file may send to every tenant meanwhile.
const notifications = (tenantId: string) =>
  t.dataSource.query(
    `SELECT kind, message FROM notification WHERE tenant_id = $1 AND kind <> 'PRIVACY_STATEMENT_CHANGED' ORDER BY created_at`, [tenantId]);

describe('requestErasure', () => {
  test('records an ERASURE request due one month after receipt; asking again returns the open one', async () => {
    const tenant = await createTenant(t.dataSource);
    const caller = { token: tokens.tenant(tenant.tenantId) };
    const first = await t.gql(REQUEST_ERASURE, {}, caller);
    expect(first.errors).toBeUndefined();
    const r = first.data.requestErasure;
    expect(r).toMatchObject({ kind: 'ERASURE', status: 'RECEIVED' });
    const stored = await one(t.dataSource,
      `SELECT tenant_id, due_at = received_at + interval '1 month' AS one_month FROM data_subject_request WHERE id = $1`, [r.id]);
    expect(stored).toEqual({ tenant_id: tenant.tenantId, one_month: true });

    const again = await t.gql(REQUEST_ERASURE, {}, caller);
    expect(again.data.requestErasure).toEqual(r);
    const n = await one(t.dataSource, `SELECT count(*)::int AS n FROM data_subject_request WHERE tenant_id = $1`, [tenant.tenantId]);
    expect(n.n).toBe(1);
  });

  test('a new request once the previous one is resolved', async () => {
    const tenant = await createTenant(t.dataSource);
    const old = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE', 'RESOLVED');
    const result = await t.gql(REQUEST_ERASURE, {}, { token: tokens.tenant(tenant.tenantId) });
    expect(result.data.requestErasure.id).not.toBe(old);
  });

  test('is the tenant\'s own', async () => {
    for (const caller of [asStaff('PRIVACY'), {}]) {
      expect(codes(await t.gql(REQUEST_ERASURE, {}, caller))).toEqual([caller.token ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
    }
  });
});

describe('resolveDataSubjectRequest', () => {
  const resolve = (id: string, caller = asStaff('PRIVACY')) => t.gql(RESOLVE, { id }, caller);

  test('ACCESS: resolved with the export as outcome, and the tenant is told', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ACCESS', 'IN_PROGRESS');
    const result = await resolve(id);
    expect(result.errors).toBeUndefined();
    expect(result.data.resolveDataSubjectRequest).toMatchObject({ id, status: 'RESOLVED', outcome: 'Export available via myDataExport' });
    expect(result.data.resolveDataSubjectRequest.resolvedAt).toBeTruthy();
    const inbox = await notifications(tenant.tenantId);
    expect(inbox).toEqual([{ kind: 'REQUEST_PROGRESS', message: expect.stringContaining('inzage') }]);
  });

  test('RESTRICTION marks the tenant restricted', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'RESTRICTION');
    expect((await resolve(id)).errors).toBeUndefined();
    expect((await tenantRow(tenant.tenantId)).restricted).toBe(true);
    expect((await request(id)).status).toBe('RESOLVED');
  });

  test('RECTIFICATION is resolved', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'RECTIFICATION');
    expect((await resolve(id)).data.resolveDataSubjectRequest.status).toBe('RESOLVED');
  });

  test('ERASURE while a lease runs keeps the lease-bound data, erases the rest and withdraws the consent', async () => {
    const tenant = await createTenant(t.dataSource);
    const before = await tenantRow(tenant.tenantId);
    expect(before.income_category).not.toBeNull();
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE');
    const result = await resolve(id);
    expect(result.errors).toBeUndefined();
    const outcome = result.data.resolveDataSubjectRequest.outcome;
    expect(outcome).toMatch(/lease is running.*kept until it ends: .*Tenant\.iban/);
    expect(outcome).toMatch(/Erased: .*Tenant\.incomeCategory.*Tenant\.householdSize/);
    const after = await tenantRow(tenant.tenantId);
    // Lease-bound by declaration: kept. Not lease-bound: masked now.
    expect(after).toEqual({ ...before, income_category: null, household_size: null, registered_at: new Date('1970-01-01T00:00:00.000Z'), analytics_consent: false });
  });

  test('ERASURE without a running lease masks every personal field by its declared strategy', async () => {
    const tenant = await createTenant(t.dataSource, { lease: 'ended' });
    const before = await tenantRow(tenant.tenantId);
    expect(before.analytics_consent).toBe(true);
    const [consentBefore] = await t.dataSource.query('SELECT given_at FROM consent_record WHERE tenant_id = $1', [tenant.tenantId]);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE');
    const result = await resolve(id);
    expect(result.errors).toBeUndefined();
    const after = await tenantRow(tenant.tenantId);
    expect(after).toMatchObject({
      first_name: 'Anoniem', // fixed
      last_name: 'Geanonimiseerd', // fixed: nothing derived from the name (a keyed hash would be a pseudonym)
      date_of_birth: null, email: null, phone: null, iban: null, income_category: null, household_size: null, // null
      status: before.status, // keep
      registered_at: new Date('1970-01-01T00:00:00.000Z'), // fixed: nothing derived from the date
      analytics_consent: false, // the consent in force ends now; when it was given stays, as proof
    });
    const consents = await t.dataSource.query('SELECT given_at, withdrawn_at FROM consent_record WHERE tenant_id = $1', [tenant.tenantId]);
    expect(consents).toEqual([{ given_at: consentBefore.given_at, withdrawn_at: expect.any(Date) }]);
    expect(after.anonymized_at).toBeInstanceOf(Date);
    // Tied to no address any more: the leases keep their dates and rent (fiscal record), not the dwelling.
    const leases = await t.dataSource.query('SELECT dwelling_id, start_date FROM lease WHERE tenant_id = $1', [tenant.tenantId]);
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((l: any) => l.dwelling_id === null && l.start_date)).toBe(true);
    expect(result.data.resolveDataSubjectRequest.outcome).toMatch(/^Anonymised/);
    expect((await notifications(tenant.tenantId)).map((n: any) => n.kind)).toEqual(['REQUEST_PROGRESS']);
  });

  test('the reporter\'s erasure masks their statement in a case about someone else; the case stays', async () => {
    const reporter = await createTenant(t.dataSource, { lease: 'ended' });
    const neighbour = await createTenant(t.dataSource);
    const statement = `Mijn buurman draait elke nacht harde muziek, zegt ${reporter.email}`;
    const [{ id: caseId }] = await t.dataSource.query(
      `INSERT INTO nuisance_case (tenant_id, reported_by_id, description, status) VALUES ($1, $2, $3, 'OPEN') RETURNING id`,
      [neighbour.tenantId, reporter.tenantId, statement]);
    const [{ id: other }] = await t.dataSource.query(
      `INSERT INTO nuisance_case (tenant_id, description, status) VALUES ($1, 'Een melding van een ander', 'OPEN') RETURNING id`, [neighbour.tenantId]);
    const result = await resolve(await createRequest(t.dataSource, reporter.tenantId, 'ERASURE'));
    expect(result.errors).toBeUndefined();
    const cases = await t.dataSource.query('SELECT id, tenant_id, description, status FROM nuisance_case WHERE id = ANY($1::uuid[]) ORDER BY id', [[caseId, other]]);
    expect(cases).toEqual(expect.arrayContaining([
      { id: caseId, tenant_id: neighbour.tenantId, description: '[verwijderd]', status: 'OPEN' },
      { id: other, tenant_id: neighbour.tenantId, description: 'Een melding van een ander', status: 'OPEN' },
    ]));
  });

  test('an already resolved or refused request is BAD_USER_INPUT and stays as it is', async () => {
    const tenant = await createTenant(t.dataSource);
    for (const status of ['RESOLVED', 'REFUSED']) {
      const id = await createRequest(t.dataSource, tenant.tenantId, 'ACCESS', status);
      const before = await request(id);
      const result = await resolve(id);
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.field).toBe('id');
      expect(await request(id)).toEqual(before);
    }
    expect(await notifications(tenant.tenantId)).toEqual([]);
  });

  test('unknown and malformed ids', async () => {
    expect(codes(await resolve('ffffffff-0000-4000-8000-000000000003'))).toEqual(['NOT_FOUND']);
    expect(codes(await resolve('1'))).toEqual(['BAD_USER_INPUT']);
  });

  test('is PRIVACY only', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'RESTRICTION');
    for (const caller of [asStaff('CONTRACT'), { token: tokens.staff('PRIVACY') }, { token: tokens.tenant(tenant.tenantId) }]) {
      expect(codes(await resolve(id, caller))).toEqual(['FORBIDDEN']);
    }
    expect((await request(id)).status).toBe('RECEIVED');
    expect((await tenantRow(tenant.tenantId)).restricted).toBe(false);
  });
});
