/**
 * POLICY.md "How a refusal looks": a field the caller may not read resolves to null with one
 * GraphQL error whose extensions.code is FORBIDDEN and whose message names no value; the rest of
 * the response still arrives. No stack trace or SQL ever reaches a client.
 */
import { App, startServer } from '../../src/app/server';
import { asStaff, codes, GqlResult, productionConfig, startTestApp, TestApp, tokens } from '../support/app';
import { findFixtures, Fixtures } from '../support/fixtures';
import { postRaw } from '../support/http';
import { refusal } from '../../src/privacy/rules/rules';

let t: TestApp;
let fx: Fixtures;
let stored: {
  firstName: string; lastName: string; email: string; phone: string; iban: string; dateOfBirth: string; postalCode: string;
};

/** Every response body seen in this file, for the leak scan at the end. */
const seen: { name: string; text: string }[] = [];

async function gql(name: string, query: string, variables?: Record<string, unknown>, caller?: Parameters<TestApp['gql']>[2]) {
  const r = await t.gql(query, variables, caller);
  seen.push({ name, text: JSON.stringify(r.body) });
  return r;
}

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  const [row] = await t.dataSource.query(
    `SELECT t.first_name AS "firstName", t.last_name AS "lastName", t.email, t.phone, t.iban,
            to_char(t.date_of_birth, 'YYYY-MM-DD') AS "dateOfBirth", d.postal_code AS "postalCode"
       FROM tenant t JOIN lease l ON l.tenant_id = t.id AND l.end_date IS NULL JOIN dwelling d ON d.id = l.dwelling_id
      WHERE t.id = $1`,
    [fx.tenantId],
  );
  stored = row;
});
afterAll(() => t?.close());

/** The errors for exactly this path. */
const at = (r: GqlResult, path: (string | number)[]) => (r.errors ?? []).filter((e) => JSON.stringify(e.path) === JSON.stringify(path));

/** A FORBIDDEN refusal message names no value: none of the tenant's values, no digits at all. */
function expectValueFree(message: string) {
  expect(message).not.toMatch(/\d/);
  expect(message).not.toMatch(/@/);
  for (const v of [stored.firstName, stored.lastName, stored.email, stored.iban, stored.dateOfBirth, stored.postalCode, fx.tenantId]) {
    expect(message).not.toContain(v);
  }
}

describe('a refused field', () => {
  const DETAIL = `query Detail($id: ID!) {
    tenant(id: $id) { id firstName lastName email phone iban dateOfBirth incomeCategory householdSize address { postalCode } }
  }`;

  test('REPAIRS: iban, dateOfBirth, income are null, one FORBIDDEN error each, siblings arrive with their values', async () => {
    const r = await gql('repairs detail', DETAIL, { id: fx.tenantId }, asStaff('REPAIRS'));
    expect(r.status).toBe(200);
    const tenant = r.data.tenant;
    expect(tenant).toMatchObject({
      id: fx.tenantId,
      firstName: stored.firstName,
      lastName: stored.lastName,
      email: stored.email,
      phone: stored.phone,
      address: { postalCode: stored.postalCode },
    });
    const refused = ['iban', 'dateOfBirth', 'incomeCategory', 'householdSize'];
    for (const field of refused) {
      expect(tenant[field]).toBeNull();
      const errors = at(r, ['tenant', field]);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions?.code).toBe('FORBIDDEN');
      expectValueFree(errors[0].message);
    }
    expect(r.errors).toHaveLength(refused.length);
  });

  test('the same query for a purpose that reads everything has no errors (so the refusals above are the policy)', async () => {
    const r = await gql('privacy detail', DETAIL, { id: fx.tenantId }, asStaff('PRIVACY'));
    expect(r.errors).toBeUndefined();
    expect(r.data.tenant).toMatchObject({ iban: stored.iban, dateOfBirth: stored.dateOfBirth });
  });

  test('the refused value appears nowhere in the response', async () => {
    const r = await gql('nuisance detail', DETAIL, { id: fx.tenantId }, asStaff('NUISANCE'));
    expect(r.data.tenant.iban).toBeNull();
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(stored.iban);
    expect(text).not.toContain(stored.dateOfBirth);
    expect(text).toContain(stored.email); // NUISANCE reads email: the rest still arrives
  });

  test('in a list: one error per refused element, with its own path; every other field arrives', async () => {
    const r = await gql('nuisance list', `{ tenants(first: 5) { totalCount edges { cursor node { id lastName iban } } } }`, undefined, asStaff('NUISANCE'));
    expect(r.data.tenants.totalCount).toBeGreaterThan(5);
    expect(r.data.tenants.edges).toHaveLength(5);
    r.data.tenants.edges.forEach((edge: any, i: number) => {
      expect(edge.cursor).toBeTruthy();
      expect(edge.node.id).toBeTruthy();
      expect(edge.node.lastName).toEqual(expect.any(String));
      expect(edge.node.iban).toBeNull();
      const errors = at(r, ['tenants', 'edges', i, 'node', 'iban']);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions?.code).toBe('FORBIDDEN');
      expectValueFree(errors[0].message);
    });
    expect(r.errors).toHaveLength(5);
    expect(JSON.stringify(r.body)).not.toMatch(/NL\d\d/);
  });

  test('a refused relation is null with one error; permitted relations beside it arrive', async () => {
    const r = await gql('letting relations', `query($id: ID!) { tenant(id: $id) { id leases { id } workOrders { id } invoices { id } } }`,
      { id: fx.tenantId }, asStaff('LETTING'));
    expect(r.data.tenant.id).toBe(fx.tenantId);
    expect(r.data.tenant.leases.length).toBeGreaterThan(0);
    for (const field of ['workOrders', 'invoices']) {
      expect(r.data.tenant[field]).toBeNull();
      expect(at(r, ['tenant', field]).map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
    }
    expect(r.errors).toHaveLength(2);
  });

  test('a refused root field is null with one error; the other root fields arrive', async () => {
    const r = await gql('letting roots', `query($id: ID!) {
      privacyStatement { version }
      tenant(id: $id) { id lastName }
      workOrders(first: 1) { totalCount }
      auditLog(first: 1) { edges { node { id } } }
    }`, { id: fx.tenantId }, asStaff('LETTING'));
    expect(r.status).toBe(200);
    expect(r.data.privacyStatement.version).toEqual(expect.any(Number));
    expect(r.data.tenant).toEqual({ id: fx.tenantId, lastName: stored.lastName });
    for (const root of ['workOrders', 'auditLog']) {
      expect(r.data[root]).toBeNull();
      const errors = at(r, [root]);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions?.code).toBe('FORBIDDEN');
      expectValueFree(errors[0].message);
    }
    expect(r.errors).toHaveLength(2);
  });

  test('a contractor on a DONE order: the order arrives, the requester’s personal fields are refused one by one', async () => {
    const r = await gql('contractor done order', `query($id: ID!) { workOrder(id: $id) { id status tenant { id firstName phone } } }`,
      { id: fx.doneOrderId }, { token: tokens.org('contractor', fx.contractorId) });
    expect(r.data.workOrder).toMatchObject({ id: fx.doneOrderId, status: 'DONE' });
    const tenant = r.data.workOrder.tenant;
    // Either the requester is closed as a whole, or each personal field is refused on its own.
    const expectedPaths = tenant === null
      ? [['workOrder', 'tenant']]
      : [['workOrder', 'tenant', 'firstName'], ['workOrder', 'tenant', 'phone']];
    if (tenant !== null) {
      expect(tenant.firstName).toBeNull();
      expect(tenant.phone).toBeNull();
    }
    for (const path of expectedPaths) {
      const errors = at(r, path);
      expect(errors).toHaveLength(1);
      expect(errors[0].extensions?.code).toBe('FORBIDDEN');
      expectValueFree(errors[0].message);
    }
    expect(r.errors).toHaveLength(expectedPaths.length);
  });

  test('a refusal error carries only code (and no http status, no exception details)', async () => {
    const r = await gql('repairs iban', `query($id: ID!) { tenant(id: $id) { iban } }`, { id: fx.tenantId }, asStaff('REPAIRS'));
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0].extensions).toEqual({ code: 'FORBIDDEN' });
    expect(Object.keys(r.errors![0]).sort()).toEqual(expect.arrayContaining(['extensions', 'message', 'path']));
    expect(Object.keys(r.errors![0])).not.toContain('stack');
  });
});

describe('many refusals in one response', () => {
  test("a contractor's closed orders: each closed field is refused at its own path, once", async () => {
    const query = '{ workOrders(first: 100, status: [DONE, CANCELLED]) { edges { node { id description tenant { phone } } } } }';
    const r = await gql('closed orders', query, {}, { token: tokens.org('contractor', fx.contractorId) });
    // Each error points at its field in the query, as graphql-js locates an error.
    for (const e of r.errors ?? []) {
      expect(e.locations).toEqual([{ line: 1, column: query.indexOf(String(e.path!.at(-1))) + 1 }]);
    }
    const edges = r.data.workOrders.edges;
    expect(edges.length).toBeGreaterThan(1);
    const paths = (r.errors ?? []).map((e) => e.path!.join('.'));
    // Every closed order's description, and its requester's phone (the order no longer opens the tenant).
    const expected = edges.flatMap((_e: unknown, i: number) => [`workOrders.edges.${i}.node.description`, `workOrders.edges.${i}.node.tenant.phone`]);
    expect([...paths].sort()).toEqual([...expected].sort());
    expect(new Set(r.errors!.map((e) => e.extensions?.code))).toEqual(new Set(['FORBIDDEN']));
    expect(edges.every((e: any) => e.node.description === null && e.node.tenant?.phone == null)).toBe(true);
  });

  test('the refusal every field shares is frozen: no request can write its detail into another\'s', () => {
    const forbidden = refusal({ viewer: { role: 'tenant', audience: 'tenant', purposes: [] } } as any);
    expect(forbidden).toBe(refusal({ viewer: { role: 'contractor', audience: 'contractor', purposes: [] } } as any));
    expect(Object.isFrozen(forbidden)).toBe(true);
    expect(Object.isFrozen((forbidden as any).extensions)).toBe(true);
    expect(() => { 'use strict'; (forbidden as any).extensions.requestId = 'another request'; }).toThrow(TypeError);
    // A staff member without a purpose is told which purposes the token holds: that one is made per request.
    const missing = refusal({ viewer: { role: 'staff', audience: 'staff', purposes: ['REPAIRS'] } } as any, ['staff:REPAIRS']);
    expect(missing.message).toMatch(/X-Purpose.*REPAIRS/);
    expect(Object.isFrozen(missing)).toBe(false);
  });
});

describe('invalid queries', () => {
  // Schema details (suggestions, introspection) are hidden in production; development shows suggestions.
  let production: App;
  beforeAll(async () => {
    production = await startServer(productionConfig({ TRUSTED_DOCUMENTS: 'off' }), t.dataSource, { preHandlers: [] });
  });
  afterAll(() => production?.stop());
  async function inProduction(name: string, query: string) {
    const { token, purpose } = asStaff('LETTING');
    const r = await postRaw({ app: production } as TestApp, query, undefined, { authorization: `Bearer ${token}`, 'x-purpose': purpose! });
    seen.push({ name, text: r.text });
    return r;
  }

  const typos: [string, string][] = [
    ['misspelt field', `{ tenants { totalCont } }`],
    ['misspelt root field', `{ tenantz { totalCount } }`],
    ['misspelt argument', `{ tenants(frist: 5) { totalCount } }`],
    ['misspelt enum value', `{ workOrders(status: [DON]) { totalCount } }`],
    ['misspelt type in a fragment', `{ tenants { ...F } } fragment F on TenantConection { totalCount }`],
  ];

  test.each(typos)('%s: a validation error without "Did you mean" in production', async (name, query) => {
    const r = await inProduction(name, query);
    expect(r.status).toBe(400);
    expect(r.data ?? null).toBeNull();
    expect(codes(r)).toEqual(expect.arrayContaining(['GRAPHQL_VALIDATION_FAILED']));
    for (const e of r.errors!) {
      expect(e.message).not.toMatch(/did you mean/i);
      // No suggestion of the real names either.
      expect(e.message).not.toMatch(/"totalCount"|"tenants"|"first"|"DONE"/);
    }
  });

  test('a syntax error is GRAPHQL_PARSE_FAILED, without the query echoed beyond its position', async () => {
    const r = await gql('parse error', `{ tenants(first: 5 { totalCount } }`, undefined, asStaff('LETTING'));
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['GRAPHQL_PARSE_FAILED']);
  });

  test('a variable of the wrong type is refused as input', async () => {
    const r = await gql('bad variable', `query($first: Int) { tenants(first: $first) { totalCount } }`, { first: 'ten' }, asStaff('LETTING'));
    expect(r.status).toBe(400);
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
  });

  test('an id that is not an id is BAD_USER_INPUT, not an SQL error', async () => {
    const r = await gql('bad id', `query($id: ID!) { tenant(id: $id) { id } }`, { id: "1' OR '1'='1" }, asStaff('LETTING'));
    expect(r.data?.tenant ?? null).toBeNull();
    expect(codes(r)).toEqual(['BAD_USER_INPUT']);
    expect(r.errors![0].message).not.toContain("OR '1'='1");
  });

  test('introspection does not leak through error messages of unknown fields on introspection types', async () => {
    const r = await inProduction('introspection typo', `{ __type(name: "Tenant") { feilds { name } } }`);
    expect(r.status).toBe(400);
    for (const e of r.errors!) expect(e.message).not.toMatch(/did you mean/i);
  });
});

describe('unexpected errors are masked', () => {
  // Input the database itself rejects; the API must not pass the database's words on.
  const probes: [string, string, Record<string, unknown>][] = [
    ['a NUL byte in a search', `query($s: String) { tenants(search: $s, first: 1) { totalCount edges { node { id } } } }`, { s: 'a\u0000b' }],
    ['a numeric cursor on a uuid-keyed list', `query($a: String) { tenants(after: $a, first: 1) { edges { node { id } } } }`,
      { a: Buffer.from('v1:123').toString('base64url') }],
  ];

  test.each(probes)('%s: BAD_USER_INPUT, or a bare INTERNAL_SERVER_ERROR with no detail', async (name, query, variables) => {
    const r = await gql(name, query, variables, asStaff('PRIVACY'));
    expect(r.errors?.length).toBeGreaterThan(0);
    for (const e of r.errors!) {
      const code = e.extensions?.code;
      expect(['BAD_USER_INPUT', 'INTERNAL_SERVER_ERROR']).toContain(code);
      if (code === 'INTERNAL_SERVER_ERROR') {
        expect(e.message).toBe('Internal server error');
        expect(e.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
      }
    }
  });
});

describe('no stack trace, SQL or file path in any error', () => {
  test('HTTP-level refusals carry none either', async () => {
    const probes = [
      await postRaw(t, `{ myProfile { id } }`, undefined, { authorization: 'Bearer not.a.token' }),
      await postRaw(t, `{ myProfile { id } }`, undefined, { authorization: 'Basic abc' }),
      await postRaw(t, `{ tenants { totalCount } }`, undefined, { authorization: `Bearer ${tokens.staff('REPAIRS')}`, 'x-purpose': 'PRIVACY' }),
      await postRaw(t, `{ tenants { totalCount } }`, undefined, { authorization: `Bearer ${tokens.staff('REPAIRS')}`, 'x-purpose': 'NOPE' }),
    ];
    for (const p of probes) {
      expect(p.status).toBeGreaterThanOrEqual(400);
      seen.push({ name: `http ${p.status}`, text: p.text });
    }
    const notJson = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(notJson.status).toBe(400);
    seen.push({ name: 'invalid json', text: await notJson.text() });
  });

  test('every error response is free of stack traces, SQL and paths', async () => {
    // Its own corpus, so that the test stands alone, plus every response seen above in this file.
    const corpus: [string, string, Record<string, unknown> | undefined, Parameters<TestApp['gql']>[2]][] = [
      ['forbidden field', `query($id: ID!) { tenant(id: $id) { iban } }`, { id: fx.tenantId }, asStaff('REPAIRS')],
      ['forbidden root', `{ auditLog(first: 1) { edges { node { id } } } }`, undefined, asStaff('REPAIRS')],
      ['no token', `{ myProfile { id } }`, undefined, {}],
      ['bad first', `{ tenants(first: 500) { totalCount } }`, undefined, asStaff('LETTING')],
      ['bad cursor', `{ tenants(after: "zzz") { totalCount } }`, undefined, asStaff('LETTING')],
      ['bad id', `{ tenant(id: "x") { id } }`, undefined, asStaff('LETTING')],
      ['long search', `query($s: String) { tenants(search: $s) { totalCount } }`, { s: 'y'.repeat(200) }, asStaff('LETTING')],
      ['NUL search', `query($s: String) { tenants(search: $s) { totalCount } }`, { s: '\u0000' }, asStaff('LETTING')],
      ['numeric cursor', `query($a: String) { tenants(after: $a) { totalCount } }`, { a: Buffer.from('v1:42').toString('base64url') }, asStaff('LETTING')],
      ['validation', `{ tenants { totalCont } }`, undefined, asStaff('LETTING')],
      ['parse', `{ tenants(`, undefined, asStaff('LETTING')],
    ];
    for (const [name, query, variables, caller] of corpus) await gql(name, query, variables, caller);
    const withErrors = seen.filter((s) => s.text.includes('"errors"'));
    expect(withErrors.length).toBeGreaterThanOrEqual(corpus.length);
    for (const { name, text } of withErrors) {
      const context = `${name}: ${text.slice(0, 300)}`;
      const findings = {
        stacktrace: /stacktrace|"stack"/i.test(text),
        sql: /\bSELECT\b|\bWHERE\b|\bILIKE\b|QueryFailedError|syntax for type|invalid byte sequence|relation "|column "/.test(text),
        path: /at \/|\/work\/|node_modules|\.ts:\d|\.js:\d|file:\/\//.test(text),
      };
      expect({ context, ...findings }).toEqual({ context, stacktrace: false, sql: false, path: false });
    }
  });
});
