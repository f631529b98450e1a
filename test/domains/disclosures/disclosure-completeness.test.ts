/**
 * Issue "Every read accounted for", item 5: for every path by which a recipient (contractor,
 * builder, bailiff) reads personal data, a disclosure of that person to that recipient exists.
 * Each organisation of each recipient role reads everything its root fields reach (every path of
 * the schema, as the recording walk does); the tenants its audit events name must each have a
 * disclosure to it. Then the paths by which a recipient gains access are taken through the API:
 * each records its disclosure with the write.
 */
import { getNamedType, GraphQLSchema, isNonNullType, isObjectType } from 'graphql';
import { buildBareSchema } from '../../../src/app/schema';
import { ORGANISATION_ROLES, OrganisationRole } from '../../../src/platform/auth/audiences';
import { declaredField } from '../../../src/privacy/policy/access';
import { disclosedFields } from '../../../src/privacy/policy/disclosed-fields';
import { RECIPIENTS } from '../../../src/privacy/policy/processing';
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { recordedFor, withEveryPath } from '../../support/recorded-values';
import { createTenant, ownId } from '../../support/rows';

let t: TestApp;
let schema: GraphQLSchema;

beforeAll(async () => {
  t = await startTestApp();
  schema = await buildBareSchema();
});
afterAll(() => t?.close());

/** The Query fields the role may call that need no argument: lists, which reach every row in scope. */
function rootFieldsOf(role: OrganisationRole): string[] {
  return Object.values(schema.getQueryType()!.getFields())
    .filter((f) => declaredField('Query', f.name)?.readers.has(role))
    .filter((f) => f.args.every((a) => !isNonNullType(a.type)) && isObjectType(getNamedType(f.type)))
    .map((f) => f.name);
}

/** The tenants whose personal data the organisation reads on every path, from the audit events. */
async function tenantsReadBy(role: OrganisationRole, orgId: string, tag: string): Promise<Set<string>> {
  const read = new Set<string>();
  for (const field of rootFieldsOf(role)) {
    const args = field === 'workOrders' ? '(first: 100)' : '';
    for (const walked of withEveryPath(schema, `{ ${field}${args} { __typename } }`, `Disclosed${tag}_${field}`)) {
      const result = await t.gql(walked.query, {}, { token: tokens.org(role, orgId) });
      expect((result.errors ?? []).filter((e) => e.extensions?.code !== 'FORBIDDEN')).toEqual([]);
      for (const id of (await recordedFor(t.dataSource, `query ${walked.name}`)).tenants) read.add(id);
    }
  }
  return read;
}

async function disclosedTo(orgId: string): Promise<Set<string>> {
  const rows = await t.dataSource.query(`SELECT DISTINCT tenant_id FROM disclosure WHERE recipient_org_id = $1`, [orgId]);
  return new Set(rows.map((r: { tenant_id: string }) => r.tenant_id));
}

test('the walk covers every recipient role, each through at least one root field', () => {
  expect([...ORGANISATION_ROLES].sort()).toEqual(['bailiff', 'builder', 'contractor']);
  for (const role of ORGANISATION_ROLES) expect(rootFieldsOf(role).length).toBeGreaterThan(0);
});

describe.each(ORGANISATION_ROLES.map((role) => [role]))('every organisation that is a %s', (role) => {
  test('has a disclosure for every person whose data it reads', async () => {
    const orgs: { id: string }[] = await t.dataSource.query(`SELECT id FROM organization WHERE kind = $1 ORDER BY id`, [role.toUpperCase()]);
    expect(orgs.length).toBeGreaterThan(0);
    let readers = 0;
    for (const [n, org] of orgs.entries()) {
      const read = await tenantsReadBy(role, org.id, `${role}${n}`);
      if (read.size) readers++;
      const disclosed = await disclosedTo(org.id);
      expect({ org: org.id, undisclosed: [...read].filter((id) => !disclosed.has(id)) }).toEqual({ org: org.id, undisclosed: [] });
    }
    // At least one organisation reads someone's data, or the walk proves nothing.
    expect(readers).toBeGreaterThan(0);
  }, 240_000); // every path of the schema for every organisation of the role: minutes on a busy machine
});

describe('a resident who moves into a dwelling of a running project', () => {
  /** A builder of this test's own with a running project on a free dwelling, and a home seeker. */
  async function ownProject() {
    const q = (sql: string, params: unknown[]) => t.dataSource.query(sql, params);
    const builder = { id: ownId(), name: 'Bouwbedrijf Proefwoning' };
    const dwellingId = ownId();
    const projectId = ownId();
    await q(`INSERT INTO organization (id, name, kind) VALUES ($1, $2, 'BUILDER')`, [builder.id, builder.name]);
    await q(`INSERT INTO dwelling (id, street, house_number, postal_code, city) VALUES ($1, 'Verbouwstraat', '7', '9999 ZZ', 'Teststad')`, [dwellingId]);
    await q(`INSERT INTO renovation_project (id, builder_id, name, starts_on, ends_on) VALUES ($1, $2, 'Gevelrenovatie', CURRENT_DATE - 30, CURRENT_DATE + 90)`, [projectId, builder.id]);
    await q(`INSERT INTO renovation_project_dwelling (project_id, dwelling_id) VALUES ($1, $2)`, [projectId, dwellingId]);
    const seeker = await createTenant(t.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
    return { builder, dwellingId, seeker };
  }
  const START = 'mutation($input: LeaseStartInput!) { startLease(input: $input) { id startDate monthlyRent } }';
  const today = () => new Date().toISOString().slice(0, 10);

  test('is disclosed to its builder in the transaction that starts the lease, and the builder then reads them', async () => {
    const { builder, dwellingId, seeker } = await ownProject();
    expect(await tenantsReadBy('builder', builder.id, 'BeforeMoveIn')).toEqual(new Set());
    const result = await t.gql(START, { input: { tenantId: seeker.tenantId, dwellingId, startDate: today(), monthlyRent: 702.35 } }, asStaff('CONTRACT'));
    expect(result.errors).toBeUndefined();
    expect(result.data.startLease).toMatchObject({ startDate: today(), monthlyRent: 702.35 });
    const disclosures = await t.dataSource.query(`SELECT * FROM disclosure WHERE tenant_id = $1`, [seeker.tenantId]);
    expect(disclosures).toMatchObject([{
      recipient_kind: 'BUILDER', recipient_org_id: builder.id, recipient_name: builder.name, purpose: 'REPAIRS', fields: disclosedFields('builder'),
    }]);
    expect(await tenantsReadBy('builder', builder.id, 'AfterMoveIn')).toEqual(new Set([seeker.tenantId]));
    const [person] = await t.dataSource.query(`SELECT status, deregistered_at FROM tenant WHERE id = $1`, [seeker.tenantId]);
    expect(person).toEqual({ status: 'ACTIVE', deregistered_at: null });
  });

  test('a dwelling let from that date, a bad rent, another purpose: refused, nothing stored', async () => {
    const { dwellingId, seeker } = await ownProject();
    const other = await createTenant(t.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
    const input = { tenantId: seeker.tenantId, dwellingId, startDate: today(), monthlyRent: 650 };
    expect((await t.gql(START, { input }, asStaff('CONTRACT'))).errors).toBeUndefined();
    const taken = await t.gql(START, { input: { ...input, tenantId: other.tenantId } }, asStaff('CONTRACT'));
    expect(codes(taken)).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(START, { input: { ...input, tenantId: other.tenantId, monthlyRent: -3 } }, asStaff('CONTRACT')))).toEqual(['BAD_USER_INPUT']);
    expect(codes(await t.gql(START, { input: { ...input, tenantId: other.tenantId } }, asStaff('LETTING')))).toEqual(['FORBIDDEN']);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM lease WHERE tenant_id = $1`, [other.tenantId])).toEqual([{ n: 0 }]);
    expect(await t.dataSource.query(`SELECT count(*)::int AS n FROM disclosure WHERE tenant_id = $1`, [other.tenantId])).toEqual([{ n: 0 }]);
  });
});

test('a disclosure to a recipient of the apps records the purpose the register declares for it', async () => {
  const recorded: { recipient_kind: string; purpose: string }[] = await t.dataSource.query(
    `SELECT DISTINCT recipient_kind, purpose FROM disclosure WHERE recipient_kind IN ('CONTRACTOR', 'BUILDER', 'BAILIFF') ORDER BY 1`);
  const declared = Object.fromEntries(RECIPIENTS.filter((r) => r.disclosureKind).map((r) => [r.disclosureKind, r.purpose]));
  expect(recorded.map((r) => r.recipient_kind)).toEqual(['BAILIFF', 'BUILDER', 'CONTRACTOR']);
  for (const r of recorded) expect(r).toEqual({ recipient_kind: r.recipient_kind, purpose: declared[r.recipient_kind] });
});
