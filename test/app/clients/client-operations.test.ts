/**
 * Every operation the clients send (../shared/clients/*.graphql, or the repository's copy) validates against the committed
 * schema.graphql and runs for its role on seeded data. An operation added to a client file without
 * a runner here fails the suite.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildSchema, Kind, OperationDefinitionNode, parse, validate } from 'graphql';
import { clientOperation, CLIENTS_DIR } from '../../support/clients';
import { DataSource } from 'typeorm';
import { asStaff, Caller, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

const CLIENTS = CLIENTS_DIR;
const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8'));
const files = readdirSync(CLIENTS).filter((f) => f.endsWith('.graphql'));
const documents = Object.fromEntries(files.map((f) => [f, parse(readFileSync(resolve(CLIENTS, f), 'utf8'))]));

interface Run {
  caller: (fx: Fixtures) => Caller;
  variables?: (fx: Fixtures, ds: DataSource) => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Errors the policy makes expected for this run (e.g. closed orders in a contractor's list). */
  allowForbidden?: boolean;
}

const pick = async (ds: DataSource, sql: string, params: unknown[] = []) => {
  const rows = await ds.query(sql, params);
  if (!rows.length) throw new Error(`no seeded row for: ${sql}`);
  return rows[0].id as string;
};
// Rows the mutations change are chosen from the end of the id order, away from other tests' fixtures.
const tenantForWrites = (ds: DataSource) => pick(ds, `
  SELECT t.id FROM tenant t WHERE t.status = 'ACTIVE'
    AND EXISTS (SELECT 1 FROM lease l WHERE l.tenant_id = t.id AND l.end_date IS NULL)
    AND EXISTS (SELECT 1 FROM invoice i WHERE i.tenant_id = t.id AND i.status = 'OPEN')
  ORDER BY t.id DESC OFFSET 3 LIMIT 1`);

const contractor = (fx: Fixtures) => ({ token: tokens.org('contractor', fx.contractorId) });

const RUNS: Record<string, Run> = {
  HandedOverCases: { caller: (fx) => ({ token: tokens.org('bailiff', fx.bailiffId) }) },
  MyRenovationProjects: { caller: (fx) => ({ token: tokens.org('builder', fx.builderId) }) },
  MyWorkOrders: { caller: contractor, variables: () => ({ status: ['ASSIGNED', 'IN_PROGRESS'], first: 50 }) },
  WorkOrder: { caller: contractor, variables: (fx) => ({ id: fx.openOrderId }) },
  UpdateWorkOrderStatus: {
    caller: contractor,
    variables: async (fx, ds) => ({
      id: await pick(ds, `SELECT id FROM work_order WHERE contractor_id = $1 AND status = 'ASSIGNED' ORDER BY id DESC LIMIT 1`, [fx.contractorId]),
      status: 'IN_PROGRESS',
    }),
  },
  CurrentPrivacyStatement: { caller: () => ({}) },
  TenantList: { caller: () => asStaff('LETTING'), variables: () => ({ first: 25 }) },
  TenantDetail: { caller: () => asStaff('PRIVACY'), variables: (fx) => ({ id: fx.tenantId }) },
  OpenWorkOrders: { caller: () => asStaff('REPAIRS'), variables: () => ({ first: 50 }) },
  ArrearsOverview: { caller: () => asStaff('ARREARS') },
  Organizations: { caller: () => asStaff('REPAIRS'), variables: () => ({ kind: 'CONTRACTOR' }) },
  AssignWorkOrder: {
    caller: () => asStaff('REPAIRS'),
    variables: async (fx, ds) => ({
      id: await pick(ds, `SELECT id FROM work_order WHERE status = 'REQUESTED' ORDER BY id DESC LIMIT 1`),
      contractorId: fx.otherContractorId,
    }),
  },
  HandArrearsToBailiff: {
    caller: () => asStaff('ARREARS'),
    variables: async (fx, ds) => ({
      // A seeded case (other test files' own rows, ids `ffff…`, may be restricted or objected to meanwhile).
      caseId: await pick(ds, `SELECT a.id FROM arrears_case a JOIN tenant x ON x.id = a.tenant_id
        WHERE a.status = 'OPEN' AND a.id::text NOT LIKE 'ffff%' AND NOT x.restricted AND NOT 'ARREARS' = ANY (x.objected_purposes)
        ORDER BY a.id DESC LIMIT 1`),
      bailiffId: fx.bailiffId,
    }),
  },
  RecordLegalDisclosure: {
    caller: () => asStaff('PRIVACY'),
    variables: async (_fx, ds) => ({
      input: {
        tenantId: await tenantForWrites(ds),
        recipientName: 'Belastingdienst',
        legalBasis: 'Art. 53 AWR: informatieplicht',
        fields: ['Tenant.firstName', 'Tenant.lastName', 'Tenant.iban'],
        withheld: false,
      },
    }),
  },
  DataSubjectRequests: { caller: () => asStaff('PRIVACY'), variables: () => ({ status: ['RECEIVED', 'IN_PROGRESS'] }) },
  ResolveDataSubjectRequest: {
    caller: () => asStaff('PRIVACY'),
    variables: async (_fx, ds) => ({
      id: await pick(ds, `SELECT id FROM data_subject_request WHERE status = 'RECEIVED' AND kind = 'ACCESS' ORDER BY id DESC LIMIT 1`),
    }),
  },
  AuditLog: { caller: () => asStaff('PRIVACY'), variables: () => ({ first: 20 }) },
  PublishPrivacyStatement: {
    caller: () => asStaff('PRIVACY'),
    variables: () => ({ input: { text: 'Demo: privacyverklaring, versie voor de test van de clients.', significant: false } }),
  },
  MyProfile: { caller: (fx) => ({ token: tokens.tenant(fx.tenantId) }) },
  MyNotifications: { caller: (fx) => ({ token: tokens.tenant(fx.handedOverTenantId) }) },
  MyAccessLog: { caller: (fx) => ({ token: tokens.tenant(fx.tenantId) }), variables: () => ({ first: 10 }) },
  MyDataExport: { caller: (fx) => ({ token: tokens.tenant(fx.tenantId) }) },
  UpdateMyContactDetails: {
    caller: () => ({}),
    variables: () => ({ input: { phone: '+31612345678' } }),
  },
  SubmitRepairRequest: { caller: () => ({}), variables: () => ({ input: { description: 'De voordeur klemt bij het sluiten.' } }) },
  RequestErasure: { caller: () => ({}) },
  SetAnalyticsConsent: { caller: () => ({}), variables: () => ({ granted: true }) },
  PayInvoice: { caller: () => ({}) },
};

/** Tenant mutations act as the tenant chosen for writes. */
const TENANT_WRITES = new Set(['UpdateMyContactDetails', 'SubmitRepairRequest', 'RequestErasure', 'SetAnalyticsConsent', 'PayInvoice']);

const operations = files.flatMap((file) =>
  documents[file].definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => ({ file, name: op.name!.value, op })),
);

describe.each(files)('%s', (file) => {
  test('validates against schema.graphql', () => {
    expect(validate(schema, documents[file]).map((e) => e.message)).toEqual([]);
  });
});

let t: TestApp;
let fx: Fixtures;
beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

test('every client operation has a runner', () => {
  expect(operations.map((o) => o.name).filter((n) => !RUNS[n])).toEqual([]);
});

describe.each(operations)('$file $name', ({ file, name }) => {
  test('runs for its role', async () => {
    const run = RUNS[name];
    let caller = run.caller(fx);
    let variables = (await run.variables?.(fx, t.dataSource)) ?? {};
    if (TENANT_WRITES.has(name)) {
      const tenantId = await tenantForWrites(t.dataSource);
      caller = { token: tokens.tenant(tenantId) };
      if (name === 'PayInvoice') {
        variables = { invoiceId: await pick(t.dataSource, `SELECT id FROM invoice WHERE tenant_id = $1 AND status = 'OPEN' ORDER BY period LIMIT 1`, [tenantId]) };
      }
      if (name === 'UpdateMyContactDetails') {
        const n = String(Date.now() % 1e8).padStart(8, '0');
        variables = { input: { phone: `06${n}` } };
      }
    }
    const result = await t.gql(clientOperation(file, name), variables, caller);
    expect(result.status).toBe(200);
    expect(result.errors ?? []).toEqual([]);
    const root = Object.values(result.data ?? {})[0];
    expect(root).not.toBeNull();
    expect(root).not.toBeUndefined();
  });
});
