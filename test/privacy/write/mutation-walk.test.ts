import { policy } from '../../../src/privacy/policy/policy';
/**
 * Every mutation of the schema, run by a caller it is for, on a database of this test's own: each
 * column it inserts or updates (read from the SQL the database receives, so a write that bypasses
 * the scoped writer is caught too) must be declared writable for the caller's audience by the
 * policy, and every row it changes must lie in the caller's row scope. A mutation aimed at a row
 * out of the caller's scope changes nothing. A mutation without a case here fails the walk.
 */
import { SqlRecorder } from '../../support/sql-recorder';
import { GraphQLSchema, isObjectType } from 'graphql';
import { buildBareSchema } from '../../../src/app/schema';
import type { Audience, Purpose } from '../../../src/platform/auth/audiences';
import { compiled } from '../../../src/privacy/policy/compiled';
import { catalogOf, storedColumnOf } from '../../../src/privacy/read/catalog';
import { scopeWhere, SqlParams } from '../../../src/privacy/read/sql';
import { ANONYMOUS } from '../../../src/platform/auth/viewer';
import type { Viewer } from '../../../src/platform/auth/viewer';
import { tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { createInvoice, createRequest, createTenant, createWorkOrder, one, organization, uniqueContact } from '../../support/rows';
import { openScratchDatabase, ScratchDatabase } from '../../support/scratch-db';
import { personalValuesIn, recordedFor, unrecorded, withEveryPath } from '../../support/recorded-values';
import { startScratchApp, ScratchApp } from '../../support/scratch-app';

/** Tables without personal data that mutations may write outside the policy, each with why. */
const NON_PERSONAL_TABLES: Record<string, string> = {
  privacy_statement_version: 'the text of the statement: about no person',
};

interface Caller {
  audience: Audience;
  tenantId?: string;
  orgId?: string;
}

interface Case {
  mutation: string;
  caller: (fx: Fixtures, own: Own) => Caller;
  /** The operation and its variables; may create rows first (directly, before the walk watches). */
  operation: (fx: Fixtures, own: Own) => Promise<{ query: string; variables?: Record<string, unknown> }>;
  /** The same mutation aimed at a row out of the caller's scope: it must change nothing. */
  outOfScope?: (fx: Fixtures, own: Own) => Promise<{ query: string; variables?: Record<string, unknown> }>;
}

/** Rows of the walk's own, made in beforeAll. */
interface Own {
  tenantId: string;
  leaseId: string;
  formerTenantId: string;
  openInvoiceId: string;
  requestedOrderId: string;
}

const tenant = (id: (fx: Fixtures, own: Own) => string) => (fx: Fixtures, own: Own): Caller => ({ audience: 'tenant', tenantId: id(fx, own) });
const staff = (purpose: Purpose) => (): Caller => ({ audience: `staff:${purpose}` });
const ownTenant = tenant((_fx, own) => own.tenantId);

const CASES: Case[] = [
  {
    mutation: 'updateMyContactDetails', caller: ownTenant,
    operation: async () => ({ query: 'mutation($input: ContactDetailsInput!) { updateMyContactDetails(input: $input) { id } }', variables: { input: { email: uniqueContact().email } } }),
  },
  {
    mutation: 'submitRepairRequest', caller: ownTenant,
    operation: async () => ({ query: 'mutation { submitRepairRequest(input: { description: "De kraan in de keuken lekt." }) { id } }' }),
  },
  { mutation: 'requestErasure', caller: ownTenant, operation: async () => ({ query: 'mutation { requestErasure { id } }' }) },
  {
    mutation: 'submitDataSubjectRequest', caller: ownTenant,
    operation: async () => ({ query: 'mutation { submitDataSubjectRequest(kind: ACCESS) { id } }' }),
  },
  { mutation: 'setAnalyticsConsent', caller: ownTenant, operation: async () => ({ query: 'mutation { setAnalyticsConsent(granted: false) { id } }' }) },
  {
    mutation: 'payInvoiceWithIdeal', caller: ownTenant,
    operation: async (_fx, own) => ({ query: 'mutation($id: ID!) { payInvoiceWithIdeal(invoiceId: $id) { paymentId } }', variables: { id: own.openInvoiceId } }),
    outOfScope: async (fx) => ({
      query: 'mutation($id: ID!) { payInvoiceWithIdeal(invoiceId: $id) { paymentId } }',
      variables: { id: await idOf(`SELECT id FROM invoice WHERE tenant_id <> $1 AND status = 'OPEN' ORDER BY id LIMIT 1`, [fx.tenantId]) },
    }),
  },
  {
    mutation: 'assignWorkOrder', caller: staff('REPAIRS'),
    operation: async (fx, own) => ({
      query: 'mutation($id: ID!, $c: ID!) { assignWorkOrder(id: $id, contractorId: $c) { id } }', variables: { id: own.requestedOrderId, c: fx.contractorId },
    }),
  },
  {
    mutation: 'correctTenant', caller: staff('CONTRACT'),
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!) { correctTenant(id: $id, input: { firstName: "Femke", dateOfBirth: "1981-03-04" }) { id } }', variables: { id: own.tenantId },
    }),
  },
  {
    mutation: 'correctTenant', caller: staff('RENT_COLLECTION'),
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!, $iban: String!) { correctTenant(id: $id, input: { iban: $iban }) { id } }', variables: { id: own.tenantId, iban: uniqueContact().iban },
    }),
  },
  {
    mutation: 'changeLease', caller: staff('CONTRACT'),
    operation: async (_fx, own) => ({ query: 'mutation($id: ID!) { changeLease(id: $id, input: { monthlyRent: 812.5 }) { id } }', variables: { id: own.leaseId } }),
  },
  {
    mutation: 'startLease', caller: staff('CONTRACT'),
    operation: async (fx) => {
      // A free dwelling of the builder's running project: the start also discloses to the builder.
      const dwellingId = await idOf(`INSERT INTO dwelling (street, house_number, postal_code, city) VALUES ('Walkstraat', '1', '9999 ZZ', 'Teststad') RETURNING id`);
      await db.dataSource.query(`INSERT INTO renovation_project_dwelling (project_id, dwelling_id) VALUES ($1, $2)`, [fx.runningProjectId, dwellingId]);
      const seeker = await createTenant(db.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
      return {
        query: 'mutation($input: LeaseStartInput!) { startLease(input: $input) { id } }',
        variables: { input: { tenantId: seeker.tenantId, dwellingId, startDate: '2026-01-01', monthlyRent: 640 } },
      };
    },
  },
  {
    mutation: 'updateWorkOrderStatus', caller: (fx) => ({ audience: 'contractor', orgId: fx.contractorId }),
    operation: async (fx) => ({ query: 'mutation($id: ID!) { updateWorkOrderStatus(id: $id, status: DONE) { id } }', variables: { id: fx.openOrderId } }),
    outOfScope: async (fx) => ({ query: 'mutation($id: ID!) { updateWorkOrderStatus(id: $id, status: DONE) { id } }', variables: { id: fx.otherContractorsOrderId } }),
  },
  {
    mutation: 'handArrearsToBailiff', caller: staff('ARREARS'),
    operation: async (fx) => ({ query: 'mutation($id: ID!, $b: ID!) { handArrearsToBailiff(caseId: $id, bailiffId: $b) { id } }', variables: { id: fx.notHandedOverCaseId, b: fx.bailiffId } }),
  },
  {
    mutation: 'closeArrearsCase', caller: staff('ARREARS'),
    operation: async (fx) => ({ query: 'mutation($id: ID!) { closeArrearsCase(caseId: $id) { id status } }', variables: { id: fx.handedOverCaseId } }),
  },
  {
    mutation: 'endLease', caller: staff('CONTRACT'),
    operation: async () => {
      const t = await createTenant(db.dataSource);
      return { query: 'mutation($id: ID!) { endLease(id: $id, endDate: "2026-01-31") { id } }', variables: { id: t.leaseId } };
    },
  },
  {
    mutation: 'registerHomeSeeker', caller: staff('LETTING'),
    operation: async () => ({
      query: 'mutation($input: HomeSeekerInput!) { registerHomeSeeker(input: $input) { id } }',
      variables: { input: { firstName: 'Wieke', lastName: 'Zoekers', dateOfBirth: '1990-05-06', ...uniqueContact(), iban: undefined, incomeCategory: 'BELOW_THRESHOLD', householdSize: 3 } },
    }),
  },
  {
    mutation: 'renewRegistration', caller: staff('LETTING'),
    operation: async () => ({ query: 'mutation($id: ID!) { renewRegistration(id: $id) { id } }', variables: { id: (await createTenant(db.dataSource, { lease: 'none', status: 'HOME_SEEKER' })).tenantId } }),
  },
  {
    mutation: 'endRegistration', caller: staff('LETTING'),
    operation: async () => ({ query: 'mutation($id: ID!) { endRegistration(id: $id) { id } }', variables: { id: (await createTenant(db.dataSource, { lease: 'none', status: 'HOME_SEEKER' })).tenantId } }),
  },
  {
    mutation: 'recordLegalDisclosure', caller: staff('PRIVACY'),
    operation: async (fx) => ({
      query: `mutation($t: ID!) { recordLegalDisclosure(input: { tenantId: $t, recipientName: "Belastingdienst", legalBasis: "Art. 53 AWR",
        fields: ["Tenant.email"], withheld: false }) { id } }`,
      variables: { t: fx.otherTenantId },
    }),
  },
  {
    mutation: 'resolveDataSubjectRequest', caller: staff('PRIVACY'),
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id } }', variables: { id: await createRequest(db.dataSource, own.tenantId, 'RESTRICTION') },
    }),
  },
  {
    mutation: 'resolveDataSubjectRequest', caller: staff('PRIVACY'),
    // An erasure without a running lease: every personal field masked, in every table about the tenant.
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id } }', variables: { id: await createRequest(db.dataSource, own.formerTenantId, 'ERASURE') },
    }),
  },
  {
    mutation: 'submitDataSubjectRequest', caller: ownTenant,
    operation: async () => ({ query: 'mutation { submitDataSubjectRequest(kind: OBJECTION, purposes: [NUISANCE]) { id } }' }),
  },
  { mutation: 'setAnalyticsConsent', caller: ownTenant, operation: async () => ({ query: 'mutation { setAnalyticsConsent(granted: true) { id } }' }) },
  {
    mutation: 'resolveDataSubjectRequest', caller: staff('PRIVACY'),
    // An objection upheld: the tenant's objected purposes.
    operation: async (_fx, own) => {
      const id = await idOf(
        `INSERT INTO data_subject_request (tenant_id, kind, status, due_at, purposes) VALUES ($1, 'OBJECTION', 'RECEIVED', now() + interval '1 month', ARRAY['ARREARS']) RETURNING id`,
        [own.tenantId]);
      return { query: 'mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id } }', variables: { id } };
    },
  },
  {
    mutation: 'resolveDataSubjectRequest', caller: staff('PRIVACY'),
    // A rectification with a recipient holding a copy: an art. 19 notice.
    operation: async (_fx, own) => {
      await db.dataSource.query(
        `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields) VALUES ($1, 'AUTHORITY', 'Belastingdienst', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'])`,
        [own.tenantId]);
      return { query: 'mutation($id: ID!) { resolveDataSubjectRequest(id: $id) { id } }', variables: { id: await createRequest(db.dataSource, own.tenantId, 'RECTIFICATION') } };
    },
  },
  {
    mutation: 'refuseDataSubjectRequest', caller: staff('PRIVACY'),
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!) { refuseDataSubjectRequest(id: $id, reason: "Dwingende gerechtvaardigde gronden.") { id } }',
      variables: { id: await createRequest(db.dataSource, own.tenantId, 'ACCESS') },
    }),
  },
  {
    mutation: 'markRecipientNoticeSent', caller: staff('PRIVACY'),
    operation: async (_fx, own) => {
      const disclosure = await idOf(
        `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields) VALUES ($1, 'AUTHORITY', 'Gemeente', 'LEGAL_OBLIGATION', ARRAY['Tenant.email']) RETURNING id`,
        [own.tenantId]);
      const id = await idOf(`INSERT INTO recipient_notice (tenant_id, disclosure_id, action) VALUES ($1, $2, 'RECTIFICATION') RETURNING id`, [own.tenantId, disclosure]);
      return { query: 'mutation($id: ID!) { markRecipientNoticeSent(id: $id) { id } }', variables: { id } };
    },
  },
  {
    mutation: 'liftRestriction', caller: staff('PRIVACY'),
    operation: async () => {
      const restricted = await createTenant(db.dataSource);
      await db.dataSource.query('UPDATE tenant SET restricted = true WHERE id = $1', [restricted.tenantId]);
      return { query: 'mutation($id: ID!) { liftRestriction(tenantId: $id) { id } }', variables: { id: restricted.tenantId } };
    },
  },
  {
    mutation: 'releaseWithheldDisclosure', caller: staff('PRIVACY'),
    operation: async (_fx, own) => ({
      query: 'mutation($id: ID!) { releaseWithheldDisclosure(id: $id) { id } }',
      variables: {
        id: await idOf(
          `INSERT INTO disclosure (tenant_id, recipient_kind, recipient_name, purpose, fields, withheld, withheld_reason)
           VALUES ($1, 'AUTHORITY', 'FIOD', 'LEGAL_OBLIGATION', ARRAY['Tenant.iban'], true, 'Onderzoek') RETURNING id`, [own.tenantId]),
      },
    }),
  },
  {
    mutation: 'announceToDataSubjects', caller: staff('PRIVACY'),
    operation: async () => ({ query: 'mutation { announceToDataSubjects(input: { subject: MERGER, party: "Woonstichting Samen", details: "Per 1 maart." }) }' }),
  },
  {
    mutation: 'publishPrivacyStatement', caller: staff('PRIVACY'),
    operation: async () => ({ query: 'mutation { publishPrivacyStatement(input: { significant: true, text: "Versie voor de test." }) { version } }' }),
  },
];

const recorder = new SqlRecorder();
let db: ScratchDatabase;
let server: ScratchApp;
let fx: Fixtures;
let own: Own;
let schema: GraphQLSchema;

const idOf = async (sql: string, params: unknown[] = []) => (await one(db.dataSource, sql, params)).id as string;

beforeAll(async () => {
  db = await openScratchDatabase({ tenantsPerStatus: 12 }, { logger: recorder });
  server = await startScratchApp(db.dataSource);
  fx = await findFixtures(db.dataSource);
  schema = await buildBareSchema();
  const active = await createTenant(db.dataSource);
  const former = await createTenant(db.dataSource, { lease: 'ended', status: 'FORMER' });
  own = {
    tenantId: active.tenantId,
    leaseId: active.leaseId!,
    formerTenantId: former.tenantId,
    openInvoiceId: await createInvoice(db.dataSource, active, 'OPEN'),
    requestedOrderId: await createWorkOrder(db.dataSource, active, 'REQUESTED'),
  };
});
afterAll(async () => {
  await server?.close();
  await db?.close();
});

function headersOf(caller: Caller): Record<string, string> {
  if (caller.audience === 'tenant') return { authorization: `Bearer ${tokens.tenant(caller.tenantId!)}` };
  if (caller.audience.startsWith('staff:')) {
    const purpose = caller.audience.slice('staff:'.length) as Purpose;
    return { authorization: `Bearer ${tokens.staff(purpose)}`, 'x-purpose': purpose };
  }
  return { authorization: `Bearer ${tokens.org(caller.audience as 'contractor', caller.orgId!)}` };
}

function viewerOf(caller: Caller): Viewer {
  const [role, purpose] = caller.audience.split(':') as [Viewer['role'], Purpose | undefined];
  return { ...ANONYMOUS, sub: 'walk', role, audience: caller.audience, tenantId: caller.tenantId, orgId: caller.orgId, purpose } as Viewer;
}

/** The policy's type of a table. */
const typeOfTable = (table: string) => compiled.tables.find((t) => t.table === table);

/** What the policy calls a column of a type's table: a field, a relation's foreign key, a stored column, or its subject. */
function nameOfColumn(type: string, column: string): string | undefined {
  const t = compiled.tableOf.get(type)!;
  if (t.subjectColumn === column) return '(subject)';
  const catalog = catalogOf(db.dataSource).get(type)!;
  for (const f of t.fields) {
    const source = catalog.get(f.name);
    if (!f.resolved && source?.kind === 'column' && source.column === column) return f.name;
    if (f.rule.foreignKey && storedColumnOf(db.dataSource, type, f.rule.foreignKey) === column) return f.name;
  }
  for (const name of t.stored.keys()) if (storedColumnOf(db.dataSource, type, name) === column) return name;
  return undefined;
}

interface Write {
  kind: 'insert' | 'update';
  table: string;
  columns: string[];
}

/** The INSERTs and UPDATEs among the statements, with the columns each sets. */
function writesOf(statements: string[]): Write[] {
  return statements.flatMap((sql) => {
    const writes: Write[] = [];
    for (const m of sql.matchAll(/INSERT INTO "?(\w+)"? \(([^)]*)\)/g)) {
      writes.push({ kind: 'insert', table: m[1], columns: m[2].split(',').map((c) => c.trim().replace(/"/g, '')) });
    }
    for (const m of sql.matchAll(/UPDATE "?(\w+)"? SET ([\s\S]*?)(?: FROM | WHERE |$)/g)) {
      writes.push({ kind: 'update', table: m[1], columns: [...m[2].matchAll(/(?:^|,\s*)"?([a-z_]+)"?\s*=/g)].map((c) => c[1]) });
    }
    return writes;
  });
}

/** Why a write is not allowed to this audience, or nothing when it is. */
function refusals(write: Write, audience: Audience): string[] {
  const t = typeOfTable(write.table);
  if (!t) return NON_PERSONAL_TABLES[write.table] ? [] : [`${write.table}: a table the policy does not declare`];
  const type = t.name;
  return write.columns.flatMap((column) => {
    const name = nameOfColumn(type, column);
    if (name === '(subject)' && write.kind === 'insert') return [];
    if (!name || name === '(subject)') return [`${type}: column ${column} that no field, foreign key or stored column names`];
    const field = t.field.get(name);
    const writers = field?.writers ?? t.stored.get(name)?.writers ?? new Set();
    if (writers.has(audience)) return [];
    // An erasure masks personal fields by their declared strategy.
    const masking = field?.personal?.masking.strategy;
    if (write.kind === 'update' && compiled.erasureBy.has(audience) && masking && masking !== 'keep') return [];
    // …and cuts the declared links to a dwelling (the policy's erasure.unlink).
    const unlinked = policy.erasure.unlink.some((u) => u.type === type && u.foreignKey === field?.rule.foreignKey);
    if (write.kind === 'update' && compiled.erasureBy.has(audience) && unlinked) return [];
    return [`${type}.${name} (${column}) is not writable for ${audience}`];
  });
}

/** Every row of every policy table but the audit trail (which the platform appends to), by `table:id`. */
async function snapshot(): Promise<Map<string, string>> {
  const rows = new Map<string, string>();
  for (const { table } of compiled.tables) {
    if (table === 'audit_event') continue;
    for (const r of await db.dataSource.query(`SELECT id::text AS id, md5(t::text) AS h FROM ${table} t`)) rows.set(`${table}:${r.id}`, r.h);
  }
  return rows;
}

function changed(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...after].filter(([key, h]) => before.get(key) !== h).map(([key]) => key);
}

/** Whether a row is in the caller's scope: the type's own, or for a type the role has no scope on, its subject's. */
async function inScope(key: string, viewer: Viewer): Promise<boolean> {
  const [table, id] = key.split(':');
  const type = typeOfTable(table)!.name;
  const params = new SqlParams();
  const idParam = params.add(id);
  const own = scopeWhere(type, viewer, params);
  if (own) return (await db.dataSource.query(`SELECT 1 FROM ${table} AS ${table} WHERE ${table}.id::text = ${idParam} AND ${own.sql}`, params.values)).length > 0;
  const subject = typeOfTable(table)!.subjectColumn;
  const tenantScope = scopeWhere('Tenant', viewer, params);
  if (!subject || !tenantScope) return false;
  return (await db.dataSource.query(
    `SELECT 1 FROM ${table} AS row JOIN tenant AS tenant ON tenant.id = row.${subject} WHERE row.id::text = ${idParam} AND ${tenantScope.sql}`,
    params.values,
  )).length > 0;
}

test('every mutation of the schema has a case in the walk', async () => {
  const mutation = (await buildBareSchema()).getMutationType();
  expect(isObjectType(mutation)).toBe(true);
  const covered = new Set(CASES.map((c) => c.mutation));
  expect(Object.keys(mutation!.getFields()).filter((name) => !covered.has(name))).toEqual([]);
});

describe.each(CASES.map((c, i) => [`${c.mutation} #${i}`, c, i] as const))('%s', (_name, c, i) => {
  test('writes only columns the caller may write, only in its scope; its payload\'s personal values are audited', async () => {
    const caller = c.caller(fx, own);
    const { query, variables } = await c.operation(fx, own);
    // The payload with its own fields and one path below them: what the guard records there, it
    // records on every path (test/privacy/rules/recording-walk.test.ts walks them all for queries).
    const [walked] = withEveryPath(schema, query, `MutationWalk${i}`);
    const before = await snapshot();
    recorder.statements = [];
    const response = await server.post(walked.query, variables, headersOf(caller));
    const statements = recorder.statements;
    expect((response.body.errors ?? []).filter((e: { extensions: { code: string } }) => e.extensions.code !== 'FORBIDDEN')).toEqual([]);
    expect(unrecorded(personalValuesIn(response.body.data), await recordedFor(db.dataSource, `mutation ${walked.name}`))).toEqual([]);
    const writes = writesOf(statements);
    expect(writes.flatMap((w) => refusals(w, caller.audience))).toEqual([]);
    const rows = changed(before, await snapshot());
    const outside = [];
    for (const key of rows) if (!(await inScope(key, viewerOf(caller)))) outside.push(key);
    expect(outside).toEqual([]);
    // The statements seen are what changed the rows: a write nobody parsed would leave this empty.
    if (rows.length) expect(writes.length).toBeGreaterThan(0);
  });

  if (c.outOfScope) {
    test('aimed at a row out of the caller\'s scope, changes nothing', async () => {
      const { query, variables } = await c.outOfScope!(fx, own);
      const before = await snapshot();
      const response = await server.post(query, variables, headersOf(c.caller(fx, own)));
      expect(response.body.errors?.map((e: { extensions: { code: string } }) => e.extensions.code)).toEqual(['NOT_FOUND']);
      expect(changed(before, await snapshot())).toEqual([]);
    });
  }
});

test('the walk refuses what the policy does not grant (it can fail)', () => {
  expect(refusals({ kind: 'update', table: 'tenant', columns: ['first_name'] }, 'tenant')).toEqual(['Tenant.firstName (first_name) is not writable for tenant']);
  expect(refusals({ kind: 'update', table: 'work_order', columns: ['contractor_id'] }, 'contractor')).toEqual(['WorkOrder.contractor (contractor_id) is not writable for contractor']);
  expect(refusals({ kind: 'insert', table: 'organization', columns: ['name'] }, 'staff:LETTING')).toEqual(['Organization.name (name) is not writable for staff:LETTING']);
  expect(refusals({ kind: 'insert', table: 'invented', columns: ['x'] }, 'staff:PRIVACY')).toEqual(['invented: a table the policy does not declare']);
  expect(writesOf(['UPDATE tenant SET "first_name" = $2, "email" = masked.h0 FROM x WHERE id = 1'])).toEqual([
    { kind: 'update', table: 'tenant', columns: ['first_name', 'email'] },
  ]);
});
