/**
 * Issue "Every read accounted for", item 1: every Query field that can return a personal value,
 * called by the callers it is for with everything it reaches selected, stores an audit event that
 * names every personal field and every tenant the response carries. A field that can return
 * personal data and has no case here fails the walk; so does a root field returning an opaque
 * scalar (JSON, text) that is not listed with how its content is read. Mutation payloads are
 * walked the same way in test/privacy/write/mutation-walk.test.ts.
 */
import { getNamedType, GraphQLSchema, isLeafType } from 'graphql';
import { buildBareSchema } from '../../../src/app/schema';
import { declaredField } from '../../../src/privacy/policy/access';
import { PURPOSES } from '../../../src/platform/auth/audiences';
import { asStaff, Caller, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { PersonalValues, personalValuesIn, reachesPersonal, recordedFor, unrecorded, withEveryPath } from '../../support/recorded-values';

interface Case {
  field: string;
  who: string;
  caller: (fx: Fixtures) => Caller;
  query: (fx: Fixtures) => { query: string; variables?: Record<string, unknown> };
}

const tenant = (fx: Fixtures): Caller => ({ token: tokens.tenant(fx.tenantId) });
const handedOverTenant = (fx: Fixtures): Caller => ({ token: tokens.tenant(fx.handedOverTenantId) });
const contractor = (fx: Fixtures): Caller => ({ token: tokens.org('contractor', fx.contractorId) });

const CASES: Case[] = [
  { field: 'myProfile', who: 'tenant', caller: tenant, query: () => ({ query: '{ myProfile { id } }' }) },
  { field: 'myProfile', who: 'tenant with a handed-over case', caller: handedOverTenant, query: () => ({ query: '{ myProfile { id } }' }) },
  { field: 'myNotifications', who: 'tenant', caller: handedOverTenant, query: () => ({ query: '{ myNotifications { id } }' }) },
  { field: 'myDataExport', who: 'tenant', caller: tenant, query: () => ({ query: '{ myDataExport }' }) },
  ...PURPOSES.map((purpose): Case => ({
    field: 'tenant', who: `staff ${purpose}`, caller: () => asStaff(purpose),
    query: (fx) => ({ query: 'query($id: ID!) { tenant(id: $id) { id } }', variables: { id: fx.tenantId } }),
  })),
  ...PURPOSES.map((purpose): Case => ({
    field: 'tenants', who: `staff ${purpose}`, caller: () => asStaff(purpose), query: () => ({ query: '{ tenants(first: 5) { totalCount } }' }),
  })),
  { field: 'workOrders', who: 'contractor', caller: contractor, query: () => ({ query: '{ workOrders(first: 10) { totalCount } }' }) },
  { field: 'workOrders', who: 'staff REPAIRS', caller: () => asStaff('REPAIRS'), query: () => ({ query: '{ workOrders(first: 10) { totalCount } }' }) },
  { field: 'workOrder', who: 'contractor', caller: contractor, query: (fx) => ({ query: 'query($id: ID!) { workOrder(id: $id) { id } }', variables: { id: fx.openOrderId } }) },
  { field: 'workOrder', who: 'staff REPAIRS', caller: () => asStaff('REPAIRS'), query: (fx) => ({ query: 'query($id: ID!) { workOrder(id: $id) { id } }', variables: { id: fx.openOrderId } }) },
  { field: 'renovationProjects', who: 'builder', caller: (fx) => ({ token: tokens.org('builder', fx.builderId) }), query: () => ({ query: '{ renovationProjects { id } }' }) },
  { field: 'arrearsCases', who: 'bailiff', caller: (fx) => ({ token: tokens.org('bailiff', fx.bailiffId) }), query: () => ({ query: '{ arrearsCases { id } }' }) },
  { field: 'arrearsCases', who: 'staff ARREARS', caller: () => asStaff('ARREARS'), query: () => ({ query: '{ arrearsCases { id } }' }) },
  { field: 'dataSubjectRequests', who: 'staff PRIVACY', caller: () => asStaff('PRIVACY'), query: () => ({ query: '{ dataSubjectRequests { id } }' }) },
  { field: 'recipientNotices', who: 'staff PRIVACY', caller: () => asStaff('PRIVACY'), query: () => ({ query: '{ recipientNotices(sent: true) { id } }' }) },
];

/**
 * Root fields that return a scalar: how the personal values in it are found, or why it has none.
 * The export is sections of rows by policy type: `{ data: { Tenant: [{ email: … }], … } }`.
 */
const OPAQUE: Record<string, ((value: unknown, fx: Fixtures) => PersonalValues) | string> = {
  myDataExport: (value, fx) => {
    const found: PersonalValues = { paths: new Set(), tenants: new Set([fx.tenantId]) };
    for (const [type, rows] of Object.entries((value as { data: Record<string, Record<string, unknown>[]> }).data)) {
      for (const row of rows) for (const [field, v] of Object.entries(row)) if (v !== null && declaredField(type, field)?.personal) found.paths.add(`${type}.${field}`);
    }
    return found;
  },
  auditLogExport: "the audit log's events name fields and tenants, never a value of theirs; it is auditLog's content as text",
};

let t: TestApp;
let fx: Fixtures;
let schema: GraphQLSchema;

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  schema = await buildBareSchema();
  // A sent art. 19 notice: its disclosure names the recipient, a personal value to record.
  await t.dataSource.query(
    `WITH d AS (INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields)
       VALUES ($1, 'AUTHORITY', 'Belastingdienst', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban']) RETURNING id, tenant_id)
     INSERT INTO recipient_notice (tenant_id, disclosure_id, action, sent_at) SELECT tenant_id, id, 'RECTIFICATION', now() FROM d`, [fx.tenantId]);
});
afterAll(() => t?.close());

test('every Query field that can return a personal value has a case, and every scalar one says what it carries', () => {
  const fields = Object.values(schema.getQueryType()!.getFields());
  const covered = new Set(CASES.map((c) => c.field));
  const missing = fields.filter((f) => {
    const named = getNamedType(f.type);
    if (isLeafType(named)) return !(f.name in OPAQUE);
    return reachesPersonal(schema, named.name) && !covered.has(f.name);
  });
  expect(missing.map((f) => f.name)).toEqual([]);
});

test('the walk sees what it must (it can fail)', () => {
  const carried = personalValuesIn({ __typename: 'Tenant', id: 't1', email: 'a@b.nl', leases: [{ __typename: 'Lease', monthlyRent: 700 }] });
  expect([...carried.paths].sort()).toEqual(['Lease.monthlyRent', 'Tenant.email']);
  expect(unrecorded(carried, { paths: new Set(['Tenant.email']), tenants: new Set() })).toEqual(['field Lease.monthlyRent', 'tenant t1']);
  expect(reachesPersonal(schema, 'Organization')).toBe(false);
  expect(reachesPersonal(schema, 'RenovationProject')).toBe(true);
});

describe.each(CASES.map((c, i) => [`${c.field} as ${c.who}`, c, i] as const))('%s', (_name, c, i) => {
  test('every personal value in the response is in its audit event', async () => {
    const { query, variables } = c.query(fx);
    const found: PersonalValues = { paths: new Set(), tenants: new Set() };
    const missed: string[] = [];
    for (const walked of withEveryPath(schema, query, `RecordingWalk${i}`)) {
      const result = await t.gql(walked.query, variables, c.caller(fx));
      expect((result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
      const value = result.data?.[c.field];
      const opaque = OPAQUE[c.field];
      const carried = typeof opaque === 'function' ? opaque(value, fx) : personalValuesIn(value);
      for (const p of carried.paths) found.paths.add(p);
      missed.push(...unrecorded(carried, await recordedFor(t.dataSource, `query ${walked.name}`)).map((m) => `${walked.name}: ${m}`));
    }
    // A case that returns no personal value proves nothing.
    expect(found.paths.size).toBeGreaterThan(0);
    expect(missed).toEqual([]);
  });
});
