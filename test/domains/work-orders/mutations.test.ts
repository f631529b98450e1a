import { disclosedFields } from '../../../src/privacy/policy/disclosed-fields';
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createTenant, createWorkOrder, one, organization, OwnTenant } from '../../support/rows';

const SUBMIT = clientOperation('tenant-app.graphql', 'SubmitRepairRequest');
const ASSIGN = clientOperation('staff-dashboard.graphql', 'AssignWorkOrder');
const MOVE = clientOperation('contractor-app.graphql', 'UpdateWorkOrderStatus');

let t: TestApp;
let tenant: OwnTenant;
let contractor: { id: string; name: string };
let otherContractor: { id: string; name: string };

beforeAll(async () => {
  t = await startTestApp();
  tenant = await createTenant(t.dataSource);
  contractor = await organization(t.dataSource, 'CONTRACTOR', 1);
  otherContractor = await organization(t.dataSource, 'CONTRACTOR', 2);
});
afterAll(() => t?.close());

const order = (id: string) => one(t.dataSource, `SELECT * FROM work_order WHERE id = $1`, [id]);
const disclosures = (tenantId: string) =>
  t.dataSource.query(`SELECT * FROM disclosure WHERE tenant_id = $1 ORDER BY disclosed_at`, [tenantId]);
const count = async (sql: string, params: unknown[]) => (await one(t.dataSource, `SELECT count(*)::int AS n FROM ${sql}`, params)).n;

describe('submitRepairRequest', () => {
  const asTenant = () => ({ token: tokens.tenant(tenant.tenantId) });

  test('creates a REQUESTED order on the dwelling of the running lease, description trimmed', async () => {
    const result = await t.gql(SUBMIT, { input: { description: '   De cv-ketel lekt.  ' } }, asTenant());
    expect(result.errors).toBeUndefined();
    const created = result.data.submitRepairRequest;
    expect(created).toMatchObject({ description: 'De cv-ketel lekt.', status: 'REQUESTED' });
    expect(created.createdAt).toBeTruthy();
    expect(await order(created.id)).toMatchObject({
      tenant_id: tenant.tenantId, dwelling_id: tenant.dwellingId, contractor_id: null, status: 'REQUESTED',
    });
  });

  test.each([['too short', '  abc  '], ['too long', 'x'.repeat(2001)], ['blank', '      ']])(
    'refuses a %s description and stores nothing',
    async (_case, description) => {
      const before = await count(`work_order WHERE tenant_id = $1`, [tenant.tenantId]);
      const result = await t.gql(SUBMIT, { input: { description } }, asTenant());
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect(result.errors![0].extensions!.field).toBe('description');
      expect(result.errors![0].message).toContain('description');
      expect(await count(`work_order WHERE tenant_id = $1`, [tenant.tenantId])).toBe(before);
    },
  );

  test('needs a running lease', async () => {
    const formerTenant = await createTenant(t.dataSource, { lease: 'ended' });
    const result = await t.gql(SUBMIT, { input: { description: 'Het raam klemt.' } }, { token: tokens.tenant(formerTenant.tenantId) });
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(await count(`work_order WHERE tenant_id = $1`, [formerTenant.tenantId])).toBe(0);
  });

  test('is refused to staff and contractors', async () => {
    for (const caller of [asStaff('REPAIRS'), { token: tokens.org('contractor', contractor.id) }]) {
      expect(codes(await t.gql(SUBMIT, { input: { description: 'Het raam klemt.' } }, caller))).toEqual(['FORBIDDEN']);
    }
  });
});

describe('assignWorkOrder', () => {
  test('assigns a requested order and records the disclosure with the fields the policy gives a contractor', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'REQUESTED');
    const before = (await disclosures(tenant.tenantId)).length;
    const result = await t.gql(ASSIGN, { id, contractorId: contractor.id }, asStaff('REPAIRS'));
    expect(result.errors).toBeUndefined();
    expect(result.data.assignWorkOrder).toEqual({ id, status: 'ASSIGNED', contractor: { id: contractor.id, name: contractor.name } });
    expect(await order(id)).toMatchObject({ status: 'ASSIGNED', contractor_id: contractor.id });

    const rows = await disclosures(tenant.tenantId);
    expect(rows).toHaveLength(before + 1);
    const d = rows[rows.length - 1];
    expect(d).toMatchObject({
      recipient_kind: 'CONTRACTOR', recipient_org_id: contractor.id, recipient_name: contractor.name, purpose: 'REPAIRS', withheld: false,
    });
    expect(d.fields).toEqual(disclosedFields('contractor'));
    // POLICY.md: a contractor gets the tenant's phone, the address and the description, and nothing else.
    expect([...d.fields].sort()).toEqual(['Dwelling.address', 'Tenant.address', 'Tenant.phone', 'WorkOrder.description']);
  });

  test('re-assigning to another contractor is a new disclosure; to the same one it is not', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'ASSIGNED', contractor.id);
    const before = (await disclosures(tenant.tenantId)).length;
    expect((await t.gql(ASSIGN, { id, contractorId: contractor.id }, asStaff('REPAIRS'))).errors).toBeUndefined();
    expect(await disclosures(tenant.tenantId)).toHaveLength(before);
    expect((await t.gql(ASSIGN, { id, contractorId: otherContractor.id }, asStaff('REPAIRS'))).errors).toBeUndefined();
    const rows = await disclosures(tenant.tenantId);
    expect(rows).toHaveLength(before + 1);
    expect(rows[rows.length - 1].recipient_org_id).toBe(otherContractor.id);
  });

  test.each([
    ['a builder', 'BUILDER'],
    ['a bailiff', 'BAILIFF'],
  ] as const)('refuses %s as contractorId and stores nothing', async (_name, kind) => {
    const id = await createWorkOrder(t.dataSource, tenant, 'REQUESTED');
    const org = await organization(t.dataSource, kind);
    const before = (await disclosures(tenant.tenantId)).length;
    const result = await t.gql(ASSIGN, { id, contractorId: org.id }, asStaff('REPAIRS'));
    expect(result.data?.assignWorkOrder ?? null).toBeNull();
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('contractorId');
    expect(await order(id)).toMatchObject({ status: 'REQUESTED', contractor_id: null });
    expect(await disclosures(tenant.tenantId)).toHaveLength(before);
  });

  test('refuses an order that is in progress, done or cancelled', async () => {
    for (const status of ['IN_PROGRESS', 'DONE', 'CANCELLED']) {
      const id = await createWorkOrder(t.dataSource, tenant, status, status === 'CANCELLED' ? null : otherContractor.id);
      const result = await t.gql(ASSIGN, { id, contractorId: contractor.id }, asStaff('REPAIRS'));
      expect(codes(result)).toEqual(['BAD_USER_INPUT']);
      expect((await order(id)).status).toBe(status);
    }
  });

  test('a malformed or unknown id', async () => {
    let result = await t.gql(ASSIGN, { id: 'nope', contractorId: contractor.id }, asStaff('REPAIRS'));
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('id');
    result = await t.gql(ASSIGN, { id: 'ffffffff-0000-4000-8000-000000000000', contractorId: contractor.id }, asStaff('REPAIRS'));
    expect(result.data.assignWorkOrder).toBeNull();
    expect(codes(result)).toEqual(['NOT_FOUND']);
  });

  test('is REPAIRS only: other purposes, staff without a purpose and contractors are refused', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'REQUESTED');
    const callers = [
      asStaff('PRIVACY'), asStaff('CONTRACT'), { token: tokens.staff('REPAIRS') },
      { token: tokens.org('contractor', contractor.id) }, { token: tokens.tenant(tenant.tenantId) },
    ];
    for (const caller of callers) {
      const result = await t.gql(ASSIGN, { id, contractorId: contractor.id }, caller);
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
    expect(await order(id)).toMatchObject({ status: 'REQUESTED', contractor_id: null });
  });
});

describe('updateWorkOrderStatus', () => {
  const asContractor = (org = contractor) => ({ token: tokens.org('contractor', org.id) });

  test('the contractor moves its own order ASSIGNED → IN_PROGRESS → DONE; DONE sets completedAt', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'ASSIGNED', contractor.id);
    let result = await t.gql(MOVE, { id, status: 'IN_PROGRESS' }, asContractor());
    expect(result.errors).toBeUndefined();
    expect(result.data.updateWorkOrderStatus).toEqual({ id, status: 'IN_PROGRESS', completedAt: null });
    result = await t.gql(MOVE, { id, status: 'DONE' }, asContractor());
    expect(result.errors).toBeUndefined();
    expect(result.data.updateWorkOrderStatus.status).toBe('DONE');
    expect(result.data.updateWorkOrderStatus.completedAt).toBeTruthy();
    expect((await order(id)).completed_at).toBeInstanceOf(Date);
  });

  test('ASSIGNED → DONE directly', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'ASSIGNED', contractor.id);
    const result = await t.gql(MOVE, { id, status: 'DONE' }, asContractor());
    expect(result.errors).toBeUndefined();
    expect((await order(id)).status).toBe('DONE');
  });

  test.each([
    ['ASSIGNED', 'ASSIGNED'], ['ASSIGNED', 'REQUESTED'], ['ASSIGNED', 'CANCELLED'], ['IN_PROGRESS', 'ASSIGNED'],
    ['IN_PROGRESS', 'IN_PROGRESS'], ['DONE', 'IN_PROGRESS'], ['DONE', 'DONE'],
  ])('refuses %s → %s', async (from, to) => {
    const id = await createWorkOrder(t.dataSource, tenant, from, contractor.id);
    const result = await t.gql(MOVE, { id, status: to }, asContractor());
    expect(codes(result)).toEqual(['BAD_USER_INPUT']);
    expect(result.errors![0].extensions!.field).toBe('status');
    expect((await order(id)).status).toBe(from);
  });

  test("another contractor's order answers like a missing one and stays as it is", async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'ASSIGNED', otherContractor.id);
    const foreign = await t.gql(MOVE, { id, status: 'IN_PROGRESS' }, asContractor());
    const missing = await t.gql(MOVE, { id: 'ffffffff-0000-4000-8000-000000000001', status: 'IN_PROGRESS' }, asContractor());
    expect(foreign.data.updateWorkOrderStatus).toBeNull();
    expect(foreign.errors).toEqual(missing.errors);
    expect(codes(foreign)).toEqual(['NOT_FOUND']);
    expect((await order(id)).status).toBe('ASSIGNED');
  });

  test('staff, builders and tenants are refused', async () => {
    const id = await createWorkOrder(t.dataSource, tenant, 'ASSIGNED', contractor.id);
    const builder = await organization(t.dataSource, 'BUILDER');
    for (const caller of [asStaff('REPAIRS'), { token: tokens.org('builder', builder.id) }, { token: tokens.tenant(tenant.tenantId) }]) {
      expect(codes(await t.gql(MOVE, { id, status: 'IN_PROGRESS' }, caller))).toEqual(['FORBIDDEN']);
    }
    expect((await order(id)).status).toBe('ASSIGNED');
  });
});
