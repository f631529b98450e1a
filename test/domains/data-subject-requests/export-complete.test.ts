/**
 * POLICY.md "Data subject requests": the export holds every personal field of the tenant with its
 * source, the recipients with their organisation, the purposes, each category's retention end,
 * the restriction and objection, and the right to complain; never another person's data.
 */
import { compiled } from '../../../src/privacy/policy/compiled';
import { SOURCES } from '../../../src/privacy/policy/policy-types';
import { startTestApp, TestApp, tokens } from '../../support/app';
import { createArrearsCase, createInvoice, createTenant, organization, OwnTenant } from '../../support/rows';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const exportOf = async (tenantId: string) => {
  const r = await t.gql('{ myDataExport }', {}, { token: tokens.tenant(tenantId) });
  expect(r.errors).toBeUndefined();
  return r.data.myDataExport;
};

/** A tenant with a row in every table a tenant reaches, and values no one else holds. */
async function fullTenant(): Promise<OwnTenant & { bailiff: { id: string; name: string }; reporter: OwnTenant }> {
  const x = await createTenant(t.dataSource);
  const bailiff = await organization(t.dataSource, 'BAILIFF', 2);
  await createArrearsCase(t.dataSource, x, 'HANDED_TO_BAILIFF', bailiff.id);
  await createInvoice(t.dataSource, x, 'OPEN');
  await t.dataSource.query(
    `INSERT INTO work_order (tenant_id, dwelling_id, description, status) VALUES ($1, $2, 'Kapotte deurbel bij de voordeur', 'REQUESTED')`,
    [x.tenantId, x.dwellingId]);
  const reporter = await createTenant(t.dataSource);
  await t.dataSource.query(
    `INSERT INTO nuisance_case (tenant_id, reported_by_id, description, status) VALUES ($1, $2, $3, 'OPEN')`,
    [x.tenantId, reporter.tenantId, `Melding door ${reporter.email}: geluidsoverlast`]);
  await t.dataSource.query(
    `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields) VALUES ($1, 'AUTHORITY', 'Gemeente Teststad', 'LEGAL_OBLIGATION', ARRAY['Tenant.email'])`,
    [x.tenantId]);
  await t.dataSource.query(
    `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
     VALUES ($1, 'AUTHORITY', 'Geheime Dienst', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'], true, 'Onderzoek')`, [x.tenantId]);
  await t.dataSource.query(`INSERT INTO notification (tenant_id, kind, message) VALUES ($1, 'REQUEST_PROGRESS', 'Uw verzoek is ontvangen.')`, [x.tenantId]);
  await t.dataSource.query(
    `INSERT INTO data_subject_request (tenant_id, kind, status, due_at, purposes) VALUES ($1, 'OBJECTION', 'RESOLVED', now() + interval '1 month', ARRAY['NUISANCE'])`,
    [x.tenantId]);
  await t.dataSource.query(`UPDATE tenant SET objected_purposes = ARRAY['NUISANCE'] WHERE id = $1`, [x.tenantId]);
  return { ...x, bailiff, reporter };
}

test('every personal field the tenant may read, of every type the tenant reaches, is in it with its declared source', async () => {
  const x = await fullTenant();
  const data = await exportOf(x.tenantId);
  const listed = new Map<string, any>(data.fields.map((f: any) => [f.path, f]));
  const expected = compiled.personal.filter((f) => f.readers.has('tenant') && compiled.tableOf.get(f.type)?.scopes.has('tenant'));
  expect(expected.length).toBeGreaterThan(10);
  for (const f of expected) {
    expect([f.path, listed.get(f.path)]).toEqual([f.path, expect.objectContaining({
      label: f.personal!.label, category: f.personal!.category, source: SOURCES[f.personal!.source].en, sourceNl: SOURCES[f.personal!.source].nl,
    })]);
    expect(data.data[f.type].length).toBeGreaterThan(0);
    expect(Object.keys(data.data[f.type][0])).toContain(f.name);
  }
  // Income comes from the tax authority, the reporter's statement from someone else: the source says so.
  expect(listed.get('Tenant.incomeCategory').sourceNl).toBe(SOURCES['tax-authority'].nl);
  expect(data.fields.map((f: any) => f.path)).not.toContain('NuisanceCase.description');
});

test('recipients with their organisation, purposes, retention per category, restriction and objection, the right to complain', async () => {
  const x = await fullTenant();
  const data = await exportOf(x.tenantId);
  expect(data.recipients).toEqual(expect.arrayContaining([
    expect.objectContaining({ kind: 'BAILIFF', organisation: x.bailiff.name, purposes: ['ARREARS'] }),
    expect.objectContaining({ kind: 'AUTHORITY', organisation: 'Gemeente Teststad', fields: ['Tenant.email'] }),
  ]));
  // Withheld under a legal reason: not the tenant's to see.
  expect(JSON.stringify(data)).not.toContain('Geheime Dienst');
  expect(data.purposes.map((p: any) => p.purpose)).toEqual(expect.arrayContaining(['REPAIRS', 'ARREARS', 'PRIVACY']));
  const retention = new Map<string, any>(data.retention.map((r: any) => [r.category, r]));
  for (const type of Object.keys(data.data)) expect([type, retention.get(type)?.rule]).toEqual([type, expect.any(String)]);
  // The invoice of 2025 is kept until the end of 2032; a running lease has no end date yet.
  expect(retention.get('Invoice').until).toBe('2032-12-31');
  expect(retention.get('Tenant').until).toBeNull();
  expect(data.rights).toEqual({ restricted: false, objectedPurposes: ['NUISANCE'], objectablePurposes: ['ARREARS', 'NUISANCE'] });
  expect(data.rightToComplain).toMatchObject({ name: 'Autoriteit Persoonsgegevens', url: expect.stringContaining('autoriteitpersoonsgegevens.nl') });
});

test('a former tenant\'s data has its retention end: one year after deregistration, the lease at its fiscal date', async () => {
  const x = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET deregistered_at = '2026-03-15T10:00:00Z', restricted = true WHERE id = $1`, [x.tenantId]);
  const closed = await createArrearsCase(t.dataSource, x, 'CLOSED');
  await t.dataSource.query(`UPDATE arrears_case SET closed_at = '2024-11-20T09:00:00Z' WHERE id = $1`, [closed]);
  const data = await exportOf(x.tenantId);
  const retention = new Map<string, any>(data.retention.map((r: any) => [r.category, r]));
  expect(retention.get('Tenant').until).toBe('2027-03-15');
  // A lease's dates and rent are fiscal records: deleted seven years after the fiscal year it ended in (2019).
  expect(retention.get('Lease').until).toBe('2026-12-31');
  // A closed arrears case counts from the year it was closed, a column the tenant does not read.
  expect(retention.get('ArrearsCase').until).toBe('2031-12-31');
  expect(data.rights.restricted).toBe(true);
});

test('holds for each tenant and contains no other tenant\'s values, not the nuisance reporter\'s', async () => {
  const tenants = [await fullTenant(), await fullTenant()];
  const others = await t.dataSource.query(
    `SELECT id, first_name, last_name, email, phone, iban FROM tenant WHERE id <> ALL($1::uuid[]) ORDER BY id LIMIT 200`,
    [tenants.map((x) => x.tenantId)]);
  for (const x of tenants) {
    const text = JSON.stringify(await exportOf(x.tenantId));
    for (const own of [x.tenantId, x.email, x.phone, x.iban]) expect(text).toContain(own);
    const someoneElse = [...tenants.filter((y) => y !== x), x.reporter];
    for (const y of someoneElse) for (const v of [y.tenantId, y.email, y.phone, y.iban]) expect(text).not.toContain(v);
    expect(text).not.toContain('geluidsoverlast');
    for (const o of others) for (const v of [o.id, o.email, o.phone, o.iban].filter(Boolean)) expect(text).not.toContain(v);
  }
});
