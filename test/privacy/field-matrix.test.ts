/**
 * The policy's field matrix, generated from the declaration: for every audience (each role, each
 * staff purpose, staff without a purpose) and every personal field, a query on seeded data to the
 * served API must return the stored value where the policy lets the audience read it along the
 * whole path, and `null` with a FORBIDDEN error where it does not. The expectation is an oracle read
 * from the declaration's readers lists alone, not from the rule code the server runs (guardField,
 * the entry-point shield), so a wrong rule cannot agree with itself.
 */
import { ALL_AUDIENCES, Audience, Purpose } from '../../src/platform/auth/audiences';
import { catalogOf } from '../../src/privacy/read/catalog';
import { compiled } from '../../src/privacy/policy/compiled';
import { policy } from '../../src/privacy/policy/policy';
import { STRUCTURAL, TypeRule } from '../../src/privacy/policy/policy-types';
import { Caller, codes, startTestApp, TestApp, tokens } from '../support/app';
import { findFixtures, Fixtures } from '../support/fixtures';
import { createTenant } from '../support/rows';

interface Step {
  type: string;
  field: string;
  args?: string;
  /** For a list: pick the element with this id (else the first). */
  pick?: (fx: Fixtures) => string;
}

/** How each role reaches a row of each type, by relation from the root. */
function routeTo(type: string, audience: Audience): { steps: Step[]; vars: (fx: Fixtures) => Record<string, unknown> } | null {
  const role = audience.startsWith('staff') ? 'staff' : audience;
  const viaTenant = (...rest: Step[]) => {
    if (role === 'tenant') return { steps: [{ type: 'Query', field: 'myProfile' }, ...rest], vars: () => ({}) };
    if (role === 'contractor')
      return {
        steps: [{ type: 'Query', field: 'workOrder', args: '(id: $id)' }, { type: 'WorkOrder', field: 'tenant' }, ...rest],
        vars: (fx: Fixtures) => ({ id: fx.openOrderId }),
      };
    if (role === 'bailiff')
      return {
        steps: [{ type: 'Query', field: 'arrearsCases', pick: (fx: Fixtures) => fx.handedOverCaseId }, { type: 'ArrearsCase', field: 'tenant' }, ...rest],
        vars: () => ({}),
      };
    return { steps: [{ type: 'Query', field: 'tenant', args: '(id: $id)' }, ...rest], vars: (fx: Fixtures) => ({ id: fx.tenantId }) };
  };
  switch (type) {
    case 'Tenant':
      return viaTenant();
    case 'Dwelling':
      if (role === 'contractor')
        return { steps: [{ type: 'Query', field: 'workOrder', args: '(id: $id)' }, { type: 'WorkOrder', field: 'dwelling' }], vars: (fx) => ({ id: fx.openOrderId }) };
      if (role === 'builder')
        return {
          steps: [{ type: 'Query', field: 'renovationProjects', pick: (fx) => fx.runningProjectId }, { type: 'RenovationProject', field: 'dwellings' }],
          vars: () => ({}),
        };
      if (role === 'bailiff')
        return {
          steps: [{ type: 'Query', field: 'arrearsCases', pick: (fx) => fx.handedOverCaseId }, { type: 'ArrearsCase', field: 'lease' }, { type: 'Lease', field: 'dwelling' }],
          vars: () => ({}),
        };
      return viaTenant({ type: 'Tenant', field: 'leases' }, { type: 'Lease', field: 'dwelling' });
    case 'Lease':
      if (role === 'bailiff')
        return { steps: [{ type: 'Query', field: 'arrearsCases', pick: (fx) => fx.handedOverCaseId }, { type: 'ArrearsCase', field: 'lease' }], vars: () => ({}) };
      return viaTenant({ type: 'Tenant', field: 'leases' });
    case 'ArrearsCase':
      if (role === 'bailiff') return { steps: [{ type: 'Query', field: 'arrearsCases', pick: (fx) => fx.handedOverCaseId }], vars: () => ({}) };
      return viaTenant({ type: 'Tenant', field: 'arrearsCases' });
    case 'Invoice':
      return viaTenant({ type: 'Tenant', field: 'invoices' });
    case 'NuisanceCase':
      return viaTenant({ type: 'Tenant', field: 'nuisanceCases' });
    case 'WorkOrder':
      if (role === 'tenant') return viaTenant({ type: 'Tenant', field: 'workOrders' });
      return { steps: [{ type: 'Query', field: 'workOrder', args: '(id: $id)' }], vars: (fx) => ({ id: fx.openOrderId }) };
    case 'ConsentRecord':
      return viaTenant({ type: 'Tenant', field: 'consents' });
    case 'Notification':
      return { steps: [{ type: 'Query', field: 'myNotifications' }], vars: () => ({}) };
    case 'Disclosure':
      // Staff reach a withheld one too (its reason is set), of a tenant who has one.
      if (role === 'staff') {
        return {
          steps: [{ type: 'Query', field: 'tenant', args: '(id: $id)' }, { type: 'Tenant', field: 'disclosures', pick: () => withheld.id }],
          vars: () => ({ id: withheld.tenant_id }),
        };
      }
      return viaTenant({ type: 'Tenant', field: 'disclosures' });
    case 'DataSubjectRequest':
      // The tenant reaches its requests only in the payloads of its own mutations (the mutation walk's cases).
      if (role === 'tenant') return null;
      return { steps: [{ type: 'Query', field: 'dataSubjectRequests', pick: () => resolvedRequestId }], vars: () => ({}) };
    default:
      throw new Error(`no route to ${type}: add one so the matrix covers its personal fields`);
  }
}

const SUBSELECTION: Record<string, string> = { address: '{ street houseNumber postalCode city }' };

function buildQuery(steps: Step[], field: string): string {
  let inner = `id ${field} ${SUBSELECTION[field] ?? ''}`;
  for (let i = steps.length - 1; i >= 0; i--) {
    const s = steps[i];
    inner = `${s.field}${s.args ?? ''} { ${i === 0 && s.pick ? 'id ' : ''}${inner} }`;
  }
  const vars = steps.some((s) => s.args?.includes('$id')) ? '($id: ID!)' : '';
  return `query Probe${vars} { ${inner} }`;
}

function follow(data: any, steps: Step[], fx: Fixtures): any {
  let node = data;
  for (const s of steps) {
    node = node?.[s.field];
    if (Array.isArray(node)) node = s.pick ? node.find((n) => n?.id === s.pick!(fx)) : node[0];
  }
  return node;
}

function callerFor(audience: Audience, fx: Fixtures): Caller {
  if (audience === 'public') return {};
  if (audience === 'tenant') return { token: tokens.tenant(fx.tenantId) };
  if (audience === 'contractor') return { token: tokens.org('contractor', fx.contractorId) };
  if (audience === 'builder') return { token: tokens.org('builder', fx.builderId) };
  if (audience === 'bailiff') return { token: tokens.org('bailiff', fx.bailiffId) };
  if (audience === 'staff') return { token: tokens.staff('REPAIRS', 'PRIVACY') };
  const purpose = audience.slice('staff:'.length) as Purpose;
  return { token: tokens.staff(purpose), purpose };
}

/** Every personal field of every table-backed type, from the policy. */
const personalFields = compiled.tables.flatMap((rule) => rule.personal.map((f) => ({ type: f.type, field: f.name })));

const cases = ALL_AUDIENCES.filter((a) => a !== 'public').flatMap((audience) =>
  personalFields.map(({ type, field }) => [audience, type, field] as const),
);

/** The oracle: is `audience` among the readers the declaration lists for `type.field`? */
function declaredReadable(audience: Audience, type: string, field: string): boolean {
  const rule = (policy.types as Record<string, TypeRule | typeof STRUCTURAL>)[type];
  if (!rule || rule === STRUCTURAL || !Object.prototype.hasOwnProperty.call(rule.fields, field)) return false;
  return (rule.fields[field].readers as readonly Audience[]).includes(audience);
}

let t: TestApp;
let fx: Fixtures;
let withheld: { id: string; tenant_id: string };
let resolvedRequestId: string;

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  // The tenant's inbox has a message to read (a statement notice, which the counting tests leave out).
  await t.dataSource.query(
    `INSERT INTO notification (tenant_id, kind, message) SELECT $1, 'PRIVACY_STATEMENT_CHANGED', 'Wij hebben onze privacyverklaring gewijzigd.'
     WHERE NOT EXISTS (SELECT 1 FROM notification WHERE tenant_id = $1)`, [fx.tenantId],
  );
  // The newest consent, listed first, was given and withdrawn: both its times have a value to compare.
  await t.dataSource.query(
    `INSERT INTO consent_record (tenant_id, kind, given_at, statement_version, withdrawn_at) VALUES ($1, 'ANALYTICS_COOKIES', now(), 1, now())`, [fx.tenantId]);
  // A withheld disclosure of a tenant of this file's own: a seeded one's tenant may meanwhile be
  // restricted, or object to a purpose, in another test file, and so be out of that purpose's reach.
  const own = await createTenant(t.dataSource);
  [withheld] = await t.dataSource.query(
    `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
     VALUES ($1, 'AUTHORITY', 'Inspecteur A. de Boer', 'Art. 53 AWR', ARRAY['Tenant.lastName', 'Tenant.iban'], true, 'Lopend fiscaal onderzoek')
     RETURNING id, tenant_id`, [own.tenantId]);
  [{ id: resolvedRequestId }] = await t.dataSource.query(`SELECT id FROM data_subject_request WHERE outcome IS NOT NULL ORDER BY id LIMIT 1`);
});
afterAll(async () => {
  await t?.close();
});

async function storedValue(type: string, field: string, id: string): Promise<unknown> {
  const rule = compiled.tableOf.get(type);
  if (!rule) throw new Error(type);
  const source = catalogOf(t.dataSource).get(type)!.get(field)!;
  const expr = source.kind === 'column' ? `${rule.table}."${source.column}"` : source.kind === 'computed' ? source.sql : 'NULL';
  const [row] = await t.dataSource.query(`SELECT ${expr} AS v FROM ${rule.table} AS ${rule.table} WHERE ${rule.table}.id = $1`, [id]);
  return row.v instanceof Date ? row.v.toISOString() : row.v;
}

test('the matrix covers every personal field for every audience', () => {
  expect(personalFields.length).toBeGreaterThanOrEqual(15);
  expect(cases.length).toBe(personalFields.length * (ALL_AUDIENCES.length - 1));
});

describe.each(cases)('%s reading %s.%s', (audience, type, field) => {
  test('matches the policy', async () => {
    const route = routeTo(type, audience);
    if (!route) return;
    const readable = [...route.steps, { type, field }].every((s) => declaredReadable(audience, s.type, s.field));
    const result = await t.gql(buildQuery(route.steps, field), route.vars(fx), callerFor(audience, fx));
    expect(result.status).toBe(200);
    const target = follow(result.data, route.steps, fx);
    if (readable) {
      expect(target).toBeTruthy();
      expect(result.errors ?? []).toEqual([]);
      expect(target[field]).toEqual(await storedValue(type, field, target.id));
      if (field !== 'endDate') expect(target[field]).not.toBeNull();
    } else {
      expect(target?.[field] ?? null).toBeNull();
      expect(codes(result)).toContain('FORBIDDEN');
      for (const e of result.errors ?? []) expect(e.message).not.toMatch(/@|NL\d\d|\d{4}-\d{2}-\d{2}/);
    }
  });
});
