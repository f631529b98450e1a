/** POLICY.md "Data subject requests": the export holds all of the tenant's own data and nobody else's. */
import { personalFieldPaths } from '../../../src/privacy/policy/disclosed-fields';
import { startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { createTenant } from '../../support/rows';

let t: TestApp;
let fx: Fixtures;
beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

const exportOf = async (tenantId: string) => {
  const r = await t.gql('{ myDataExport }', {}, { token: tokens.tenant(tenantId) });
  expect(r.errors).toBeUndefined();
  return r.data.myDataExport;
};

test("holds every stored personal field of the tenant's own record and rows", async () => {
  const data = await exportOf(fx.tenantId);
  const [stored] = await t.dataSource.query('SELECT first_name, last_name, email, phone, iban, date_of_birth FROM tenant WHERE id = $1', [fx.tenantId]);
  expect(data.data.Tenant).toEqual([expect.objectContaining({
    id: fx.tenantId, firstName: stored.first_name, lastName: stored.last_name, email: stored.email, phone: stored.phone,
    iban: stored.iban, dateOfBirth: stored.date_of_birth, address: expect.objectContaining({ street: expect.any(String) }),
  })]);
  const counts = async (table: string) => (await t.dataSource.query(`SELECT count(*)::int AS n FROM ${table} WHERE tenant_id = $1`, [fx.tenantId]))[0].n;
  expect(data.data.Lease).toHaveLength(await counts('lease'));
  expect(data.data.Invoice).toHaveLength(await counts('invoice'));
  expect(data.data.NuisanceCase).toHaveLength(await counts('nuisance_case'));
  // Every personal field the tenant may read is in it, by name.
  const exported = new Set(Object.entries(data.data).flatMap(([type, rows]: [string, any]) => Object.keys(rows[0] ?? {}).map((f) => `${type}.${f}`)));
  for (const path of ['Tenant.email', 'Tenant.iban', 'Tenant.address', 'Lease.monthlyRent', 'Invoice.amount']) {
    expect(personalFieldPaths()).toContain(path);
    expect(exported).toContain(path);
  }
  // A nuisance report is the reporter's statement (POLICY.md 2026-12-01): the case is listed, its text is not.
  expect(exported).toContain('NuisanceCase.status');
  expect(exported).not.toContain('NuisanceCase.description');
});

test('states the purposes and retention that apply', async () => {
  const data = await exportOf(fx.tenantId);
  expect(data.purposes.map((p: any) => p.purpose)).toEqual(expect.arrayContaining(['REPAIRS', 'RENT_COLLECTION', 'PRIVACY']));
  const rent = data.purposes.find((p: any) => p.purpose === 'RENT_COLLECTION');
  expect(rent.fields).toEqual(expect.arrayContaining([expect.stringMatching(/^Tenant\.iban/)]));
  expect(rent.legalBasis).toBeTruthy();
  expect(data.retention.length).toBeGreaterThan(0);
});

test('never holds another person: not the nuisance reporter, not another tenant', async () => {
  const text = JSON.stringify(await exportOf(fx.tenantId));
  const reporters = await t.dataSource.query(
    `SELECT r.id, r.email, r.phone, r.iban FROM nuisance_case n JOIN tenant r ON r.id = n.reported_by_id WHERE n.tenant_id = $1`, [fx.tenantId]);
  expect(reporters.length).toBeGreaterThan(0);
  for (const r of reporters) for (const v of [r.id, r.email, r.phone, r.iban].filter(Boolean)) expect(text).not.toContain(v);
  const [other] = await t.dataSource.query('SELECT id, email FROM tenant WHERE id = $1', [fx.otherTenantId]);
  expect(text).not.toContain(other.id);
  expect(text).not.toContain(other.email);
});

test('leaves out disclosures withheld under a legal reason', async () => {
  const [withheld] = await t.dataSource.query(`SELECT id, tenant_id FROM disclosure WHERE withheld ORDER BY id LIMIT 1`);
  expect(withheld).toBeDefined();
  const data = await exportOf(withheld.tenant_id);
  const ids = (data.data.Disclosure ?? []).map((d: any) => d.id);
  expect(ids).not.toContain(withheld.id);
  const [{ n: visible }] = await t.dataSource.query('SELECT count(*)::int AS n FROM disclosure WHERE tenant_id = $1 AND NOT withheld', [withheld.tenant_id]);
  expect(ids).toHaveLength(visible);
});

describe('submitDataSubjectRequest', () => {
  test.each(['ACCESS', 'RECTIFICATION', 'RESTRICTION'])('a %s request is received, due one month later, once while open', async (kind) => {
    const [{ id: tenantId }] = await t.dataSource.query(
      // A tenant with no request of its own in the seed (one may be open already, in another status).
      `SELECT id FROM tenant WHERE status = 'ACTIVE' AND NOT restricted
         AND NOT EXISTS (SELECT 1 FROM data_subject_request d WHERE d.tenant_id = tenant.id) ORDER BY id DESC OFFSET 21 LIMIT 1`);
    const submit = () => t.gql('mutation($k: DataSubjectRequestKind!) { submitDataSubjectRequest(kind: $k) { id kind status receivedAt dueAt } }',
      { k: kind }, { token: tokens.tenant(tenantId) });
    const first = await submit();
    expect(first.errors).toBeUndefined();
    const r = first.data.submitDataSubjectRequest;
    expect(r).toMatchObject({ kind, status: 'RECEIVED' });
    const due = new Date(r.receivedAt);
    due.setUTCMonth(due.getUTCMonth() + 1);
    expect(Math.abs(new Date(r.dueAt).getTime() - due.getTime())).toBeLessThan(2 * 86_400_000);
    expect((await submit()).data.submitDataSubjectRequest.id).toBe(r.id);
  });

  test('staff cannot submit one for a tenant', async () => {
    const r = await t.gql('mutation { submitDataSubjectRequest(kind: ACCESS) { id } }', {}, { token: tokens.staff('PRIVACY'), purpose: 'PRIVACY' });
    expect(r.data.submitDataSubjectRequest).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});

test('the export is audited: one event for the tenant naming every personal field it carries', async () => {
  const own = await createTenant(t.dataSource);
  const r = await t.gql('query ExportForAudit { myDataExport }', {}, { token: tokens.tenant(own.tenantId) });
  expect(r.errors).toBeUndefined();
  const events = await t.dataSource.query(
    `SELECT fields, tenant_ids FROM audit_event WHERE operation = 'query ExportForAudit' AND tenant_ids @> ARRAY[$1]::uuid[]`, [own.tenantId],
  );
  expect(events).toHaveLength(1);
  expect(events[0].fields).toEqual(expect.arrayContaining(['Tenant.firstName', 'Tenant.email', 'Tenant.iban', 'Tenant.dateOfBirth', 'Lease.monthlyRent']));
  expect(events[0].tenant_ids).toEqual([own.tenantId]);
});
