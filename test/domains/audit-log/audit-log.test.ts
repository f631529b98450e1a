/**
 * "Who looked at me": the tenant's access log names the organisation that read (never an
 * employee's sub); the privacy officer's audit log filters by tenant, actor, organisation, purpose
 * and time.
 */
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { createTenant, createWorkOrder, organization, OwnTenant } from '../../support/rows';

let t: TestApp;
let me: OwnTenant;
let contractor: { id: string; name: string };
let order: string;
const started = new Date(Date.now() - 1000).toISOString();

beforeAll(async () => {
  t = await startTestApp();
  me = await createTenant(t.dataSource);
  contractor = await organization(t.dataSource, 'CONTRACTOR', 3);
  order = await createWorkOrder(t.dataSource, me, 'ASSIGNED', contractor.id);
  const read = await t.gql('query ContractorReadsPhone($id: ID!) { workOrder(id: $id) { tenant { phone } } }', { id: order }, { token: tokens.org('contractor', contractor.id) });
  expect(read.data.workOrder.tenant.phone).toBe(me.phone);
  const staff = await t.gql('query StaffReadsEmail($id: ID!) { tenant(id: $id) { email } }', { id: me.tenantId }, asStaff('LETTING'));
  expect(staff.data.tenant.email).toBe(me.email);
});
afterAll(() => t?.close());

const LOG = `query Log($tenantId: ID, $actorSub: String, $orgId: ID, $purpose: String, $from: String, $to: String) {
  auditLog(tenantId: $tenantId, actorSub: $actorSub, orgId: $orgId, purpose: $purpose, from: $from, to: $to, first: 100) {
    edges { node { operation role purpose actorSub orgId organization { name } fields } } } }`;
const log = async (vars: Record<string, unknown>) => {
  const r = await t.gql(LOG, { tenantId: me.tenantId, ...vars }, asStaff('PRIVACY'));
  expect(r.errors).toBeUndefined();
  return r.data.auditLog.edges.map((e: { node: Record<string, unknown> }) => e.node);
};

test("the tenant's access log names the contractor that read, not the employee who did", async () => {
  const r = await t.gql('{ myAccessLog { operation role purpose fields organization { name } } }', {}, { token: tokens.tenant(me.tenantId) });
  expect(r.errors).toBeUndefined();
  expect(r.data.myAccessLog).toEqual(expect.arrayContaining([
    { operation: 'query ContractorReadsPhone', role: 'contractor', purpose: null, fields: ['Tenant.phone'], organization: { name: contractor.name } },
    { operation: 'query StaffReadsEmail', role: 'staff', purpose: 'LETTING', fields: ['Tenant.email'], organization: null },
  ]));
  const sub = await t.gql('{ myAccessLog { actorSub } }', {}, { token: tokens.tenant(me.tenantId) });
  expect(new Set(codes(sub))).toEqual(new Set(['FORBIDDEN']));
});

test('the audit log filters by organisation, purpose, actor and time', async () => {
  expect((await log({})).map((e: { operation: string }) => e.operation)).toEqual(expect.arrayContaining(['query ContractorReadsPhone', 'query StaffReadsEmail']));
  const byOrg = await log({ orgId: contractor.id });
  expect(byOrg.length).toBeGreaterThan(0);
  expect(byOrg.every((e: { orgId: string; organization: { name: string } }) => e.orgId === contractor.id && e.organization.name === contractor.name)).toBe(true);
  const byPurpose = await log({ purpose: 'LETTING' });
  expect(byPurpose.map((e: { operation: string }) => e.operation)).toEqual(['query StaffReadsEmail']);
  expect((await log({ actorSub: 'employee-1', purpose: 'LETTING' })).length).toBe(1);
  expect(await log({ actorSub: 'nobody-at-all' })).toEqual([]);
  expect((await log({ from: started })).length).toBeGreaterThanOrEqual(2);
  expect(await log({ to: started })).toEqual([]);
  expect(await log({ from: new Date(Date.now() + 3_600_000).toISOString() })).toEqual([]);
});

test('a filter value that is no purpose or no time is BAD_USER_INPUT naming the argument', async () => {
  for (const [vars, field] of [[{ purpose: 'EVERYTHING' }, 'purpose'], [{ from: 'yesterday' }, 'from'], [{ orgId: 'x' }, 'orgId']] as const) {
    const r = await t.gql(LOG, vars, asStaff('PRIVACY'));
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0].extensions!.field).toBe(field);
  }
});

test('only the privacy officer filters the audit log', async () => {
  const r = await t.gql(LOG, { orgId: contractor.id }, asStaff('LETTING'));
  expect(r.data?.auditLog ?? null).toBeNull();
  expect(codes(r)).toEqual(['FORBIDDEN']);
});

test('the audit log exports with the same filters, as JSON and as CSV', async () => {
  const EXPORT = 'query Export($tenantId: ID, $orgId: ID, $format: AuditExportFormat!) { auditLogExport(tenantId: $tenantId, orgId: $orgId, format: $format) }';
  const listed = await log({ orgId: contractor.id });
  const json = await t.gql(EXPORT, { tenantId: me.tenantId, orgId: contractor.id, format: 'JSON' }, asStaff('PRIVACY'));
  expect(json.errors).toBeUndefined();
  const events = JSON.parse(json.data.auditLogExport);
  expect(events.map((e: { operation: string }) => e.operation)).toEqual(listed.map((e: { operation: string }) => e.operation));
  expect(events[0]).toMatchObject({ role: 'contractor', orgId: contractor.id, tenantIds: [me.tenantId], fields: ['Tenant.phone'] });
  expect(Object.keys(events[0])).toEqual(['id', 'at', 'actorSub', 'role', 'orgId', 'purpose', 'operation', 'tenantIds', 'fields', 'hash']);
  const csv = await t.gql(EXPORT, { tenantId: me.tenantId, orgId: contractor.id, format: 'CSV' }, asStaff('PRIVACY'));
  const lines = csv.data.auditLogExport.trim().split('\n');
  expect(lines[0]).toBe('id,at,actorSub,role,orgId,purpose,operation,tenantIds,fields,hash');
  expect(lines).toHaveLength(events.length + 1);
  expect(lines[1]).toContain(`,contractor,${contractor.id},,query ContractorReadsPhone,${me.tenantId},Tenant.phone,`);
  const refused = await t.gql(EXPORT, { format: 'CSV' }, asStaff('ARREARS'));
  expect(refused.data?.auditLogExport ?? null).toBeNull();
  expect(codes(refused)).toEqual(['FORBIDDEN']);
});
