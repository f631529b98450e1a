import { disclosedFields, personalFieldPaths } from '../../../src/privacy/policy/disclosed-fields';
import { labelOf } from '../../../src/privacy/policy/field-labels';
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createTenant, one, OwnTenant } from '../../support/rows';

const RECORD = clientOperation('staff-dashboard.graphql', 'RecordLegalDisclosure');
const PROFILE = clientOperation('tenant-app.graphql', 'MyProfile');
const INBOX = clientOperation('tenant-app.graphql', 'MyNotifications');

let t: TestApp;
let tenant: OwnTenant;

beforeAll(async () => {
  t = await startTestApp();
  tenant = await createTenant(t.dataSource);
});
afterAll(() => t?.close());

const asTenant = () => ({ token: tokens.tenant(tenant.tenantId) });
const counts = async () => (await one(t.dataSource, `
  SELECT (SELECT count(*)::int FROM disclosure WHERE tenant_id = $1) AS disclosures,
         (SELECT count(*)::int FROM notification WHERE tenant_id = $1 AND kind <> 'PRIVACY_STATEMENT_CHANGED') AS notifications`,
  [tenant.tenantId]));

const input = (over: Record<string, unknown> = {}) => ({
  tenantId: tenant.tenantId,
  recipientName: 'Belastingdienst',
  legalBasis: 'art. 53 Algemene wet inzake rijksbelastingen',
  fields: ['Tenant.firstName', 'Tenant.lastName', 'Lease.monthlyRent'],
  withheld: false,
  ...over,
});

describe('disclosedFields', () => {
  test('derives each recipient\'s fields from the policy', () => {
    expect(disclosedFields('builder')).toEqual(['Dwelling.address']);
    for (const audience of ['contractor', 'bailiff', 'builder'] as const) {
      expect(disclosedFields(audience).length).toBeGreaterThan(0);
      for (const f of disclosedFields(audience)) expect(personalFieldPaths()).toContain(f);
    }
    expect(disclosedFields('contractor')).not.toContain('Tenant.email');
    expect(disclosedFields('contractor')).not.toContain('Tenant.iban');
  });

  test('every personal field has its own Dutch label for the tenant\'s inbox', () => {
    const labels = personalFieldPaths().map(labelOf);
    expect(labels.filter((l, i) => !l || l.includes('.') || labels.indexOf(l) !== i)).toEqual([]);
  });
});

describe('recordLegalDisclosure', () => {
  test('records an AUTHORITY disclosure the tenant sees and is notified of', async () => {
    const result = await t.gql(RECORD, { input: input() }, asStaff('PRIVACY'));
    expect(result.errors).toBeUndefined();
    const d = result.data.recordLegalDisclosure;
    expect(d).toMatchObject({ recipientName: 'Belastingdienst', withheld: false, withheldReason: null, fields: input().fields });
    expect(await one(t.dataSource, `SELECT * FROM disclosure WHERE id = $1`, [d.id])).toMatchObject({
      tenant_id: tenant.tenantId, recipient_kind: 'AUTHORITY', recipient_org_id: null, purpose: 'LEGAL_OBLIGATION',
    });
    const profile = await t.gql(PROFILE, {}, asTenant());
    expect(profile.data.myProfile.disclosures.map((x: any) => x.id)).toContain(d.id);
    const inbox = await t.gql(INBOX, {}, asTenant());
    const notice = inbox.data.myNotifications.find((n: any) => n.kind === 'LEGAL_DISCLOSURE');
    expect(notice.message).toContain('Belastingdienst');
    expect(notice.message).toContain('maandhuur');
    expect(notice.message).not.toMatch(/750|Testa|Mutatie/);
  });

  test('names its authority as an organisation, registered once, kept apart from the officer\'s name', async () => {
    const authority = `Gemeente Teststad ${tenant.tenantId.slice(0, 8)}`;
    const ids: string[] = [];
    for (const recipientName of ['mw. A. Ambtenaar, afdeling Burgerzaken', 'afdeling Belastingen']) {
      const result = await t.gql(RECORD, { input: input({ authority: ` ${authority} `, recipientName }) }, asStaff('PRIVACY'));
      expect(result.errors).toBeUndefined();
      ids.push(result.data.recordLegalDisclosure.id);
    }
    const rows = await t.dataSource.query(
      `SELECT d.recipient_name, o.name, o.kind FROM disclosure d JOIN organization o ON o.id = d.recipient_org_id WHERE d.id = ANY($1) ORDER BY d.recipient_name`, [ids]);
    expect(rows).toEqual([
      { recipient_name: 'afdeling Belastingen', name: authority, kind: 'AUTHORITY' },
      { recipient_name: 'mw. A. Ambtenaar, afdeling Burgerzaken', name: authority, kind: 'AUTHORITY' },
    ]);
    const listed = await t.gql('{ organizations(kind: AUTHORITY) { name kind } }', {}, asStaff('PRIVACY'));
    expect(listed.data.organizations.filter((o: any) => o.name === authority)).toEqual([{ name: authority, kind: 'AUTHORITY' }]);
    const profile = await t.gql('{ myProfile { disclosures { id recipientOrganization { name } } } }', {}, asTenant());
    expect(profile.data.myProfile.disclosures.filter((d: any) => ids.includes(d.id)).map((d: any) => d.recipientOrganization))
      .toEqual([{ name: authority }, { name: authority }]);
  });

  test('a withheld disclosure: recorded with its reason, no notification, hidden from the tenant', async () => {
    const before = await counts();
    const reason = 'Vordering art. 126nd Sv; informeren schaadt het onderzoek (art. 41 UAVG).';
    const result = await t.gql(RECORD, { input: input({ recipientName: 'Politie', withheld: true, withheldReason: ` ${reason} ` }) }, asStaff('PRIVACY'));
    expect(result.errors).toBeUndefined();
    expect(result.data.recordLegalDisclosure).toMatchObject({ withheld: true, withheldReason: reason });
    expect(await counts()).toEqual({ disclosures: before.disclosures + 1, notifications: before.notifications });
    const profile = await t.gql(PROFILE, {}, asTenant());
    expect(profile.data.myProfile.disclosures.map((x: any) => x.id)).not.toContain(result.data.recordLegalDisclosure.id);
  });

  test('recording a withheld disclosure is not in the tenant\'s access log or export until it is released', async () => {
    const own = await createTenant(t.dataSource);
    const caller = { token: tokens.tenant(own.tenantId) };
    const recorded = async () => {
      const log = (await t.gql('{ myAccessLog(first: 100) { operation fields } }', {}, caller)).data.myAccessLog as { operation: string }[];
      const exported = (await t.gql('{ myDataExport }', {}, caller)).data.myDataExport.data.AuditEvent as { operation: string }[];
      const of = (events: { operation: string }[]) => events.filter((e) => e.operation === 'mutation RecordLegalDisclosure').length;
      return { log: of(log), exported: of(exported) };
    };
    // One the tenant is told of: its event is theirs to see.
    expect((await t.gql(RECORD, { input: input({ tenantId: own.tenantId }) }, asStaff('PRIVACY'))).errors).toBeUndefined();
    expect(await recorded()).toEqual({ log: 1, exported: 1 });
    const withheld = await t.gql(RECORD, { input: input({ tenantId: own.tenantId, recipientName: 'Politie', withheld: true, withheldReason: 'Vordering art. 126nd Sv' }) }, asStaff('PRIVACY'));
    expect(withheld.errors).toBeUndefined();
    expect(await recorded()).toEqual({ log: 1, exported: 1 });
    // The privacy officer's trail has both.
    const officer = await t.gql('query($id: ID!) { auditLog(tenantId: $id, first: 100) { edges { node { operation } } } }', { id: own.tenantId }, asStaff('PRIVACY'));
    expect(officer.data.auditLog.edges.filter((e: any) => e.node.operation === 'mutation RecordLegalDisclosure')).toHaveLength(2);
    const release = await t.gql('mutation($id: ID!) { releaseWithheldDisclosure(id: $id) { id } }', { id: withheld.data.recordLegalDisclosure.id }, asStaff('PRIVACY'));
    expect(release.errors).toBeUndefined();
    expect(await recorded()).toEqual({ log: 2, exported: 2 });
  });

  test.each([
    ['withheldReason', { withheld: true }],
    ['withheldReason', { withheld: true, withheldReason: '   ' }],
    ['withheldReason', { withheld: false, withheldReason: 'a reason without withholding' }],
    ['fields', { fields: [] }],
    ['fields', { fields: ['Tenant.firstName', 'Tenant.shoeSize'] }],
    ['fields', { fields: ['Tenant.id'] }],
    ['fields', { fields: ['firstName'] }],
    ['recipientName', { recipientName: '  ' }],
    ['authority', { authority: ' ' }],
    ['authority', { authority: 'x'.repeat(201) }],
    ['legalBasis', { legalBasis: '' }],
    ['tenantId', { tenantId: 'not-a-uuid' }],
    ['tenantId', { tenantId: 'ffffffff-0000-4000-8000-000000000002' }],
  ])('refuses a bad %s and stores nothing', async (field, over) => {
    const before = await counts();
    const result = await t.gql(RECORD, { input: input(over) }, asStaff('PRIVACY'));
    expect(result.data?.recordLegalDisclosure ?? null).toBeNull();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe(field);
    expect(result.errors![0].message).toContain(field);
    expect(await counts()).toEqual(before);
  });

  test('is PRIVACY only', async () => {
    const before = await counts();
    for (const caller of [asStaff('ARREARS'), asStaff('CONTRACT'), { token: tokens.staff('PRIVACY') }, asTenant()]) {
      expect(codes(await t.gql(RECORD, { input: input() }, caller))).toEqual(['FORBIDDEN']);
    }
    expect(await counts()).toEqual(before);
  });
});
