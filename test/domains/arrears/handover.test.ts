import { disclosedFields } from '../../../src/privacy/policy/disclosed-fields';
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createArrearsCase, createTenant, one, organization, OwnTenant } from '../../support/rows';

const HAND_OVER = clientOperation('staff-dashboard.graphql', 'HandArrearsToBailiff');
const INBOX = clientOperation('tenant-app.graphql', 'MyNotifications');
const PORTAL = clientOperation('bailiff-portal.graphql', 'HandedOverCases');

let t: TestApp;
let tenant: OwnTenant;
let bailiff: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp();
  tenant = await createTenant(t.dataSource);
  bailiff = await organization(t.dataSource, 'BAILIFF', 1);
});
afterAll(() => t?.close());

const arrears = (id: string) => one(t.dataSource, `SELECT * FROM arrears_case WHERE id = $1`, [id]);
const rowsOf = (table: string) => t.dataSource.query(`SELECT * FROM ${table} WHERE tenant_id = $1 ORDER BY 1`, [tenant.tenantId]);

test.each(['OPEN', 'PAYMENT_PLAN'])('hands a %s case to a bailiff: disclosure and notification', async (status) => {
  const caseId = await createArrearsCase(t.dataSource, tenant, status);
  const disclosuresBefore = (await rowsOf('disclosure')).length;
  const result = await t.gql(HAND_OVER, { caseId, bailiffId: bailiff.id }, asStaff('ARREARS'));
  expect(result.errors).toBeUndefined();
  expect(result.data.handArrearsToBailiff).toMatchObject({ id: caseId, status: 'HANDED_TO_BAILIFF', bailiff: bailiff });
  expect(result.data.handArrearsToBailiff.handedOverAt).toBeTruthy();
  expect(await arrears(caseId)).toMatchObject({ status: 'HANDED_TO_BAILIFF', bailiff_id: bailiff.id });

  const disclosures = await t.dataSource.query(
    `SELECT * FROM disclosure WHERE tenant_id = $1 AND recipient_org_id = $2 ORDER BY disclosed_at DESC`, [tenant.tenantId, bailiff.id],
  );
  expect((await rowsOf('disclosure')).length).toBe(disclosuresBefore + 1);
  expect(disclosures[0]).toMatchObject({ recipient_kind: 'BAILIFF', recipient_name: bailiff.name, purpose: 'ARREARS', withheld: false });
  expect(disclosures[0].fields).toEqual(disclosedFields('bailiff'));

  // The tenant is told, in Dutch, without the amount or any other value.
  const inbox = await t.gql(INBOX, {}, { token: tokens.tenant(tenant.tenantId) });
  const notice = inbox.data.myNotifications.find((n: any) => n.kind === 'BAILIFF_HANDOVER');
  expect(notice.message).toContain(bailiff.name);
  expect(notice.message).toMatch(/huurachterstand/);
  expect(notice.message).not.toMatch(/1234|€|\d+,\d\d|Proefstraat|9999|Testa|Mutatie|1980/);

  // The bailiff now reaches the case, through the API.
  const portal = await t.gql(PORTAL, {}, { token: tokens.org('bailiff', bailiff.id) });
  expect(portal.data.arrearsCases.map((c: any) => c.id)).toContain(caseId);
});

test('the bailiff gets what POLICY.md names: name, date of birth, address, amount, monthly rent', () => {
  expect([...disclosedFields('bailiff')].sort()).toEqual([
    'ArrearsCase.amountDue', 'Lease.monthlyRent', 'Tenant.address', 'Tenant.dateOfBirth', 'Tenant.firstName', 'Tenant.lastName',
  ]);
});

test('refuses a case already handed over or closed, and stores nothing', async () => {
  for (const status of ['HANDED_TO_BAILIFF', 'CLOSED']) {
    const caseId = await createArrearsCase(t.dataSource, tenant, status, status === 'HANDED_TO_BAILIFF' ? bailiff.id : null);
    const counts = [(await rowsOf('disclosure')).length, (await rowsOf('notification')).length];
    const result = await t.gql(HAND_OVER, { caseId, bailiffId: bailiff.id }, asStaff('ARREARS'));
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('caseId');
    expect((await arrears(caseId)).status).toBe(status);
    expect([(await rowsOf('disclosure')).length, (await rowsOf('notification')).length]).toEqual(counts);
  }
});

test('bailiffId must be a bailiff', async () => {
  const caseId = await createArrearsCase(t.dataSource, tenant, 'OPEN');
  const contractor = await organization(t.dataSource, 'CONTRACTOR');
  const counts = [(await rowsOf('disclosure')).length, (await rowsOf('notification')).length];
  for (const bailiffId of [contractor.id, tenant.tenantId]) {
    const result = await t.gql(HAND_OVER, { caseId, bailiffId }, asStaff('ARREARS'));
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('bailiffId');
    expect(result.errors![0].message).toContain('bailiffId');
  }
  expect(await arrears(caseId)).toMatchObject({ status: 'OPEN', bailiff_id: null, handed_over_at: null });
  expect([(await rowsOf('disclosure')).length, (await rowsOf('notification')).length]).toEqual(counts);
});

test('is ARREARS only', async () => {
  const caseId = await createArrearsCase(t.dataSource, tenant, 'OPEN');
  const callers = [
    asStaff('RENT_COLLECTION'), asStaff('PRIVACY'), { token: tokens.staff('ARREARS') },
    { token: tokens.org('bailiff', bailiff.id) }, { token: tokens.tenant(tenant.tenantId) },
  ];
  for (const caller of callers) expect(codes(await t.gql(HAND_OVER, { caseId, bailiffId: bailiff.id }, caller))).toEqual(['FORBIDDEN']);
  expect((await arrears(caseId)).status).toBe('OPEN');
});
