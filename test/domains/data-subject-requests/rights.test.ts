/**
 * POLICY.md "Data subject requests", "Writes" (staff PRIVACY) and "Disclosures and notifications":
 * objection (art. 21), refusal (art. 12(4)), notices to recipients holding a copy (art. 19),
 * lifting a restriction (art. 18(3)), releasing a withheld disclosure.
 */
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { SqlRecorder } from '../../support/sql-recorder';
import { clientOperation } from '../../support/clients';
import { createArrearsCase, createRequest, createTenant, one, organization, OwnTenant, uniqueContact } from '../../support/rows';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

const PRIVACY = () => asStaff('PRIVACY');
const asTenant = (x: OwnTenant) => ({ token: tokens.tenant(x.tenantId) });
const inbox = (tenantId: string, kind: string) =>
  t.dataSource.query(`SELECT message FROM notification WHERE tenant_id = $1 AND kind = $2 ORDER BY created_at`, [tenantId, kind]);
const requestRow = (id: string) => one(t.dataSource, `SELECT status, outcome, resolved_at FROM data_subject_request WHERE id = $1`, [id]);

const SUBMIT = `mutation($kind: DataSubjectRequestKind!, $purposes: [ObjectablePurpose!]) {
  submitDataSubjectRequest(kind: $kind, purposes: $purposes) { id kind status purposes } }`;
const RESOLVE = 'mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id status outcome } }';
const REFUSE = 'mutation($id: ID!, $reason: String!) { refuseDataSubjectRequest(id: $id, reason: $reason) { id status outcome resolvedAt } }';

async function object(tenant: OwnTenant, purposes?: string[]): Promise<string> {
  const r = await t.gql(SUBMIT, { kind: 'OBJECTION', purposes }, asTenant(tenant));
  expect(r.errors).toBeUndefined();
  return r.data.submitDataSubjectRequest.id;
}

describe('objection (art. 21)', () => {
  test('names only purposes resting on legitimate interest, all of them when none is named', async () => {
    const tenant = await createTenant(t.dataSource);
    const all = await t.gql(SUBMIT, { kind: 'OBJECTION' }, asTenant(tenant));
    expect(all.errors).toBeUndefined();
    expect(all.data.submitDataSubjectRequest).toMatchObject({ kind: 'OBJECTION', status: 'RECEIVED', purposes: ['ARREARS', 'NUISANCE'] });
    // A purpose resting on the contract is no ObjectablePurpose: the schema refuses it.
    const other = await createTenant(t.dataSource);
    const contract = await t.gql(SUBMIT, { kind: 'OBJECTION', purposes: ['REPAIRS'] }, asTenant(other));
    expect(contract.errors).toBeDefined();
    // Purposes belong to an objection only.
    expect(codes(await t.gql(SUBMIT, { kind: 'ACCESS', purposes: ['ARREARS'] }, asTenant(other)))).toEqual(['BAD_USER_INPUT']);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM data_subject_request WHERE tenant_id = $1', [other.tenantId]);
    expect(n).toBe(0);
  });

  test('upheld: ARREARS no longer reads or processes the tenant, other purposes still do, and the tenant sees it', async () => {
    const tenant = await createTenant(t.dataSource);
    const caseId = await createArrearsCase(t.dataSource, tenant, 'OPEN');
    const q = `query($id: ID!) { tenant(id: $id) { id lastName } }`;
    const read = async (purpose: 'ARREARS' | 'RENT_COLLECTION') => (await t.gql(q, { id: tenant.tenantId }, asStaff(purpose))).data?.tenant;
    const cases = async () => ((await t.gql('{ arrearsCases { id } }', {}, asStaff('ARREARS'))).data.arrearsCases as { id: string }[]).map((c) => c.id);
    expect(await read('ARREARS')).toMatchObject({ id: tenant.tenantId });
    expect(await cases()).toContain(caseId);

    const id = await object(tenant, ['ARREARS']);
    const resolved = await t.gql(RESOLVE, { id }, PRIVACY());
    expect(resolved.errors).toBeUndefined();
    expect(resolved.data.resolveDataSubjectRequest).toMatchObject({ status: 'RESOLVED', outcome: expect.stringContaining('ARREARS') });

    expect(await read('ARREARS')).toBeNull();
    expect(await cases()).not.toContain(caseId);
    expect(await read('RENT_COLLECTION')).toMatchObject({ id: tenant.tenantId });
    // Processing, not only reading: the arrears staff can no longer hand the case over.
    const bailiff = await organization(t.dataSource, 'BAILIFF');
    const handOver = await t.gql('mutation($c: ID!, $b: ID!) { handArrearsToBailiff(caseId: $c, bailiffId: $b) { id } }',
      { c: caseId, b: bailiff.id }, asStaff('ARREARS'));
    expect(handOver.data?.handArrearsToBailiff ?? null).toBeNull();
    expect((await one(t.dataSource, 'SELECT status FROM arrears_case WHERE id = $1', [caseId])).status).toBe('OPEN');

    const me = await t.gql('{ myProfile { objectedPurposes restricted } }', {}, asTenant(tenant));
    expect(me.data.myProfile).toEqual({ objectedPurposes: ['ARREARS'], restricted: false });
    expect(await inbox(tenant.tenantId, 'REQUEST_PROGRESS')).toEqual([{ message: expect.stringContaining('bezwaar') }]);
  });

  test('upheld against ARREARS: the bailiff, who reads for ARREARS, no longer reaches the handed-over case either', async () => {
    const tenant = await createTenant(t.dataSource);
    const bailiff = await organization(t.dataSource, 'BAILIFF', 3);
    const caseId = await createArrearsCase(t.dataSource, tenant, 'HANDED_TO_BAILIFF', bailiff.id);
    const seen = async () =>
      ((await t.gql('{ arrearsCases { id } }', {}, { token: tokens.org('bailiff', bailiff.id) })).data.arrearsCases as { id: string }[]).map((c) => c.id);
    expect(await seen()).toContain(caseId);
    expect((await t.gql(RESOLVE, { id: await object(tenant, ['ARREARS']) }, PRIVACY())).errors).toBeUndefined();
    expect(await seen()).not.toContain(caseId);
  });

  test('refused on compelling grounds: the purpose keeps reading, the tenant is told why and where to complain', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await object(tenant, ['NUISANCE']);
    const reason = 'Dwingende gerechtvaardigde gronden: de overlastzaak loopt bij de rechter (art. 21 lid 1 AVG).';
    const refused = await t.gql(REFUSE, { id, reason }, PRIVACY());
    expect(refused.errors).toBeUndefined();
    expect(refused.data.refuseDataSubjectRequest).toMatchObject({ status: 'REFUSED', outcome: reason, resolvedAt: expect.any(String) });
    const read = await t.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: tenant.tenantId }, asStaff('NUISANCE'));
    expect(read.data.tenant).toMatchObject({ id: tenant.tenantId });
    expect((await t.gql('{ myProfile { objectedPurposes } }', {}, asTenant(tenant))).data.myProfile.objectedPurposes).toEqual([]);
  });
});

describe('refuseDataSubjectRequest (art. 12(4))', () => {
  test('ends REFUSED with the reason; the tenant is notified with the reason and the right to complain to the AP', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE');
    const reason = 'Het verzoek brengt de privacy van een ander in gevaar.';
    const result = await t.gql(REFUSE, { id, reason: `  ${reason} ` }, PRIVACY());
    expect(result.errors).toBeUndefined();
    expect(await requestRow(id)).toMatchObject({ status: 'REFUSED', outcome: reason, resolved_at: expect.any(Date) });
    const [notice] = await inbox(tenant.tenantId, 'REQUEST_REFUSED');
    expect(notice.message).toContain(reason);
    expect(notice.message).toContain('Autoriteit Persoonsgegevens');
    // Nothing of the request was carried out.
    expect((await one(t.dataSource, 'SELECT email, anonymized_at FROM tenant WHERE id = $1', [tenant.tenantId]))).toEqual({ email: tenant.email, anonymized_at: null });
  });

  test('needs a reason, an open request and the privacy officer; a refusal changes nothing', async () => {
    const tenant = await createTenant(t.dataSource);
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ACCESS');
    const blank = await t.gql(REFUSE, { id, reason: '   ' }, PRIVACY());
    expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
    expect(blank.errors![0].extensions!.field).toBe('reason');
    for (const caller of [asStaff('CONTRACT'), asTenant(tenant)]) expect(codes(await t.gql(REFUSE, { id, reason: 'x' }, caller))).toEqual(['FORBIDDEN']);
    expect((await requestRow(id)).status).toBe('RECEIVED');
    const done = await createRequest(t.dataSource, tenant.tenantId, 'ACCESS', 'RESOLVED');
    expect(codes(await t.gql(REFUSE, { id: done, reason: 'x' }, PRIVACY()))).toEqual(['BAD_USER_INPUT']);
    expect(await inbox(tenant.tenantId, 'REQUEST_REFUSED')).toEqual([]);
  });
});

describe('art. 19: recipients holding a copy are told', () => {
  const NOTICES = `{ recipientNotices { id action sentAt disclosure { recipientKind recipientName recipientOrganization { id name } } request { id kind } tenant { id } } }`;
  const MARK = 'mutation($id: ID!) { markRecipientNoticeSent(id: $id) { id sentAt } }';

  async function tenantWithCopies(options: Parameters<typeof createTenant>[1] = {}) {
    const tenant = await createTenant(t.dataSource, options);
    const bailiff = await organization(t.dataSource, 'BAILIFF', 1);
    const contractor = await organization(t.dataSource, 'CONTRACTOR', 1);
    await createArrearsCase(t.dataSource, tenant, 'HANDED_TO_BAILIFF', bailiff.id);
    // Two disclosures to the same authority are one recipient; a contractor reads through the API and holds no copy.
    for (const name of ['Belastingdienst', 'Belastingdienst']) {
      await t.dataSource.query(
        `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
         VALUES ($1, 'AUTHORITY', $2, 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'], true, 'Lopend onderzoek')`, [tenant.tenantId, name]);
    }
    await t.dataSource.query(
      `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_org_id, recipient_name, purpose, fields)
       VALUES ($1, 'CONTRACTOR', $2, $3, 'REPAIRS', ARRAY['Tenant.phone'])`, [tenant.tenantId, contractor.id, contractor.name]);
    return { tenant, bailiff };
  }
  const mine = async (tenantId: string) =>
    ((await t.gql(NOTICES, {}, PRIVACY())).data.recipientNotices as any[]).filter((n) => n.tenant?.id === tenantId);

  test.each(['RECTIFICATION', 'ERASURE', 'RESTRICTION'])('a %s carried out records one notice per recipient holding a copy, listed until sent', async (kind) => {
    const { tenant, bailiff } = await tenantWithCopies();
    const id = await createRequest(t.dataSource, tenant.tenantId, kind);
    expect((await t.gql(RESOLVE, { id }, PRIVACY())).errors).toBeUndefined();
    const notices = await mine(tenant.tenantId);
    expect(notices.map((n) => n.disclosure.recipientKind).sort()).toEqual(['AUTHORITY', 'BAILIFF']);
    for (const n of notices) expect(n).toMatchObject({ action: kind, sentAt: null, request: { id, kind } });
    if (kind !== 'ERASURE') {
      expect(notices.map((n) => n.disclosure.recipientName).sort()).toEqual(['Belastingdienst', bailiff.name].sort());
    }

    const marked = await t.gql(MARK, { id: notices[0].id }, PRIVACY());
    expect(marked.errors).toBeUndefined();
    expect(marked.data.markRecipientNoticeSent.sentAt).toBeTruthy();
    expect((await mine(tenant.tenantId)).map((n) => n.id)).toEqual([notices[1].id]);
    const sent = await t.gql('{ recipientNotices(sent: true) { id } }', {}, PRIVACY());
    expect(sent.data.recipientNotices.map((n: any) => n.id)).toContain(notices[0].id);
    expect(codes(await t.gql(MARK, { id: notices[0].id }, PRIVACY()))).toEqual(['BAD_USER_INPUT']);
  });

  test('after an erasure the notice still names the receiving organisation; the masked recipient name is no person\'s', async () => {
    const { tenant, bailiff } = await tenantWithCopies({ lease: 'ended', status: 'FORMER' });
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE');
    expect((await t.gql(RESOLVE, { id }, PRIVACY())).data.resolveDataSubjectRequest).toMatchObject({ status: 'RESOLVED' });
    expect(await one(t.dataSource, 'SELECT anonymized_at IS NOT NULL AS erased FROM tenant WHERE id = $1', [tenant.tenantId])).toEqual({ erased: true });
    const notices = await mine(tenant.tenantId);
    expect(notices.map((n) => n.disclosure.recipientKind).sort()).toEqual(['AUTHORITY', 'BAILIFF']);
    expect(notices.map((n) => n.disclosure.recipientName)).not.toContain('Belastingdienst');
    const toBailiff = notices.find((n) => n.disclosure.recipientKind === 'BAILIFF');
    expect(toBailiff.disclosure.recipientOrganization).toEqual({ id: bailiff.id, name: bailiff.name });
    expect(notices.find((n) => n.disclosure.recipientKind === 'AUTHORITY').disclosure.recipientOrganization).toBeNull();
  });

  test('an authority named in its legal disclosure is still the addressee of the erasure notice; its officer is not', async () => {
    const tenant = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
    const officer = 'dhr. P. Ambtenaar-Onderzoek';
    const recorded = await t.gql(clientOperation('staff-dashboard.graphql', 'RecordLegalDisclosure'), {
      input: { tenantId: tenant.tenantId, authority: 'Belastingdienst', recipientName: officer, legalBasis: 'art. 53 AWR', fields: ['Tenant.iban'], withheld: false },
    }, PRIVACY());
    expect(recorded.errors).toBeUndefined();
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ERASURE');
    expect((await t.gql(RESOLVE, { id }, PRIVACY())).data.resolveDataSubjectRequest).toMatchObject({ status: 'RESOLVED' });
    const [notice] = await mine(tenant.tenantId);
    expect(notice.disclosure.recipientOrganization).toMatchObject({ name: 'Belastingdienst' });
    expect(JSON.stringify(await mine(tenant.tenantId))).not.toContain('Ambtenaar');
  });

  test('a correction is a rectification too: the recipients that received a corrected field are owed a notice', async () => {
    const { tenant, bailiff } = await tenantWithCopies();
    const iban = uniqueContact().iban;
    // The authority received the IBAN, the bailiff did not.
    const own = await t.gql('mutation($i: ContactDetailsInput!) { updateMyContactDetails(input: $i) { id } }', { i: { iban } }, asTenant(tenant));
    expect(own.errors).toBeUndefined();
    let notices = await mine(tenant.tenantId);
    expect(notices).toEqual([expect.objectContaining({ action: 'RECTIFICATION', request: null, disclosure: expect.objectContaining({ recipientKind: 'AUTHORITY' }) })]);
    // Nobody holding a copy received the email.
    await t.gql('mutation($i: ContactDetailsInput!) { updateMyContactDetails(input: $i) { id } }', { i: { email: uniqueContact().email } }, asTenant(tenant));
    expect(await mine(tenant.tenantId)).toHaveLength(1);
    // The bailiff received the name: staff CONTRACT's correction of it is told to the bailiff.
    const staffFix = await t.gql('mutation($id: ID!) { correctTenant(id: $id, input: { lastName: "Mutatie-Jansen" }) { id } }', { id: tenant.tenantId }, asStaff('CONTRACT'));
    expect(staffFix.errors).toBeUndefined();
    notices = await mine(tenant.tenantId);
    expect(notices).toHaveLength(2);
    expect(notices[1].disclosure).toMatchObject({ recipientKind: 'BAILIFF', recipientName: bailiff.name });
  });

  test('an access request records none; the notices are the privacy officer\'s only', async () => {
    const { tenant } = await tenantWithCopies();
    const id = await createRequest(t.dataSource, tenant.tenantId, 'ACCESS');
    expect((await t.gql(RESOLVE, { id }, PRIVACY())).errors).toBeUndefined();
    expect(await mine(tenant.tenantId)).toEqual([]);
    const rect = await createRequest(t.dataSource, tenant.tenantId, 'RECTIFICATION');
    await t.gql(RESOLVE, { id: rect }, PRIVACY());
    const [notice] = await mine(tenant.tenantId);
    for (const caller of [asStaff('ARREARS'), asTenant(tenant)]) {
      expect(codes(await t.gql('{ recipientNotices { id } }', {}, caller))).toEqual(['FORBIDDEN']);
      expect(codes(await t.gql(MARK, { id: notice.id }, caller))).toEqual(['FORBIDDEN']);
    }
    expect((await one(t.dataSource, 'SELECT sent_at FROM recipient_notice WHERE id = $1', [notice.id])).sent_at).toBeNull();
  });
});

describe('liftRestriction (art. 18(3))', () => {
  const LIFT = 'mutation($id: ID!) { liftRestriction(tenantId: $id) { id restricted } }';

  test('the tenant is told first, in the same transaction, then the purposes read the tenant again', async () => {
    const tenant = await createTenant(t.dataSource);
    await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [tenant.tenantId]);
    const read = async () => (await t.gql('query($id: ID!) { tenant(id: $id) { id } }', { id: tenant.tenantId }, asStaff('CONTRACT'))).data.tenant;
    expect(await read()).toBeNull();
    const result = await t.gql(LIFT, { id: tenant.tenantId }, PRIVACY());
    expect(result.errors).toBeUndefined();
    expect(result.data.liftRestriction).toEqual({ id: tenant.tenantId, restricted: false });
    expect(await read()).toMatchObject({ id: tenant.tenantId });
    const [notice] = await inbox(tenant.tenantId, 'RESTRICTION_LIFTED');
    expect(notice.message).toContain('beperking');
  });

  test('the statements: the notification is inserted before the flag is cleared, inside one transaction', async () => {
    const recorder = new SqlRecorder();
    const app = await startTestApp({ logger: recorder });
    try {
      const tenant = await createTenant(app.dataSource);
      await app.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [tenant.tenantId]);
      const from = recorder.statements.length;
      expect((await app.gql(LIFT, { id: tenant.tenantId }, PRIVACY())).errors).toBeUndefined();
      const sql = recorder.statements.slice(from);
      const begin = sql.findIndex((q) => /^START TRANSACTION|^BEGIN/i.test(q));
      const notify = sql.findIndex((q) => /INSERT INTO notification/i.test(q));
      const lift = sql.findIndex((q) => /UPDATE tenant SET "restricted"/i.test(q));
      const commit = sql.findIndex((q) => /^COMMIT/i.test(q));
      expect(begin).toBeGreaterThanOrEqual(0);
      expect([begin < notify, notify < lift, lift < commit]).toEqual([true, true, true]);
    } finally {
      await app.close();
    }
  });

  test('a tenant not restricted is BAD_USER_INPUT and nobody is told; PRIVACY only', async () => {
    const tenant = await createTenant(t.dataSource);
    expect(codes(await t.gql(LIFT, { id: tenant.tenantId }, PRIVACY()))).toEqual(['BAD_USER_INPUT']);
    await t.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [tenant.tenantId]);
    for (const caller of [asStaff('CONTRACT'), asTenant(tenant)]) expect(codes(await t.gql(LIFT, { id: tenant.tenantId }, caller))).toEqual(['FORBIDDEN']);
    expect((await one(t.dataSource, 'SELECT restricted FROM tenant WHERE id = $1', [tenant.tenantId])).restricted).toBe(true);
    expect(await inbox(tenant.tenantId, 'RESTRICTION_LIFTED')).toEqual([]);
  });
});

describe('releaseWithheldDisclosure', () => {
  const RELEASE = 'mutation($id: ID!) { releaseWithheldDisclosure(id: $id) { id withheld releasedAt } }';
  const visible = async (tenant: OwnTenant) =>
    ((await t.gql('{ myProfile { disclosures { id recipientName releasedAt } } }', {}, asTenant(tenant))).data.myProfile.disclosures as any[]);

  test('the tenant then sees the disclosure and is notified; the reason stays on record', async () => {
    const tenant = await createTenant(t.dataSource);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
       VALUES ($1, 'AUTHORITY', 'FIOD', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban', 'Lease.monthlyRent'], true, 'Strafrechtelijk onderzoek') RETURNING id`,
      [tenant.tenantId]);
    expect((await visible(tenant)).map((d) => d.id)).not.toContain(id);
    const result = await t.gql(RELEASE, { id }, PRIVACY());
    expect(result.errors).toBeUndefined();
    expect(result.data.releaseWithheldDisclosure).toMatchObject({ id, withheld: false, releasedAt: expect.any(String) });
    expect(await visible(tenant)).toEqual([expect.objectContaining({ id, recipientName: 'FIOD', releasedAt: expect.any(String) })]);
    const [notice] = await inbox(tenant.tenantId, 'LEGAL_DISCLOSURE');
    expect(notice.message).toContain('FIOD');
    expect(notice.message).toContain('IBAN');
    expect((await one(t.dataSource, 'SELECT withheld_reason FROM disclosure WHERE id = $1', [id])).withheld_reason).toBe('Strafrechtelijk onderzoek');
    expect(codes(await t.gql(RELEASE, { id }, PRIVACY()))).toEqual(['BAD_USER_INPUT']);
    expect(await inbox(tenant.tenantId, 'LEGAL_DISCLOSURE')).toHaveLength(1);
  });

  test('PRIVACY only', async () => {
    const tenant = await createTenant(t.dataSource);
    const [{ id }] = await t.dataSource.query(
      `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
       VALUES ($1, 'AUTHORITY', 'FIOD', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'], true, 'Onderzoek') RETURNING id`, [tenant.tenantId]);
    for (const caller of [asStaff('ARREARS'), asTenant(tenant)]) expect(codes(await t.gql(RELEASE, { id }, caller))).toEqual(['FORBIDDEN']);
    expect((await one(t.dataSource, 'SELECT withheld FROM disclosure WHERE id = $1', [id])).withheld).toBe(true);
  });
});
