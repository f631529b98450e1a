import { fetchJson } from '../../support/fetch-json';
/**
 * Structured logs: one JSON line per request with its request id, and never a personal value —
 * however the request ends (served, refused, forbidden, failing inside, too large, malformed).
 * Every personal value of every tenant in the seeded database is a marker the captured log must
 * not contain.
 */
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/platform/logging/logger';
import { clientOperation } from '../../support/client-operations';
import { asStaff, Caller, sign, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

const lines: string[] = [];
const capture = new Writable({
  write(chunk, _encoding, done) {
    lines.push(...String(chunk).split('\n').filter(Boolean));
    done();
  },
});

interface Sent {
  label: string;
  status: number;
  requestId: string | null;
  body: any;
}

let t: TestApp;
let fx: Fixtures;
let markers: string[];
let victim: { email: string; lastName: string; iban: string; phone: string };
const sent: Sent[] = [];

async function send(label: string, init: { body?: unknown; raw?: string; caller?: Caller; method?: string; path?: string; headers?: Record<string, string> }): Promise<Sent> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...init.headers };
  if (init.caller?.token) headers.authorization = `Bearer ${init.caller.token}`;
  if (init.caller?.purpose) headers['x-purpose'] = init.caller.purpose;
  const url = init.path ? new URL(init.path, t.app.url).toString() : t.app.url;
  const method = init.method ?? 'POST';
  const res = await fetchJson(url, { method, headers, body: method === 'GET' ? undefined : (init.raw ?? JSON.stringify(init.body)) }, 'text');
  const result = { label, status: res.status, requestId: res.headers.get('x-request-id'), body: res.body };
  sent.push(result);
  return result;
}

const op = clientOperation;

beforeAll(async () => {
  const log = createLogger({ stream: capture, level: 'debug' });
  t = await startTestApp({ log });
  fx = await findFixtures(t.dataSource);
  const rows: Record<string, string | null>[] = await t.dataSource.query(
    `SELECT first_name, last_name, email, phone, iban, to_char(date_of_birth, 'YYYY-MM-DD') AS date_of_birth FROM tenant`,
  );
  const values = new Set<string>();
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (!value) continue;
      if ((column === 'first_name' || column === 'last_name') && value.length <= 3) continue;
      values.add(value);
    }
  }
  // As written, and as a URL or JSON would carry them.
  markers = [...values].flatMap((v) => [...new Set([v, encodeURIComponent(v), JSON.stringify(v).slice(1, -1)])]);
  const [row] = await t.dataSource.query(`SELECT email, last_name AS "lastName", iban, phone FROM tenant WHERE id = $1`, [fx.tenantId]);
  victim = row;
  lines.length = 0; // start-up lines are not a request's

  const tenant = { token: tokens.tenant(fx.tenantId) };
  const contractor = { token: tokens.org('contractor', fx.contractorId) };
  // Client operations for several roles (queries only: the database is shared and read-only here).
  await send('TenantList', { body: { query: op('staff-dashboard.graphql', 'TenantList'), variables: { first: 25 }, operationName: 'TenantList' }, caller: asStaff('LETTING') });
  await send('TenantList by name', { body: { query: op('staff-dashboard.graphql', 'TenantList'), variables: { first: 5, search: victim.lastName } }, caller: asStaff('REPAIRS') });
  await send('TenantDetail', { body: { query: op('staff-dashboard.graphql', 'TenantDetail'), variables: { id: fx.tenantId } }, caller: asStaff('PRIVACY') });
  await send('OpenWorkOrders', { body: { query: op('staff-dashboard.graphql', 'OpenWorkOrders'), variables: { first: 50 } }, caller: asStaff('REPAIRS') });
  await send('ArrearsOverview', { body: { query: op('staff-dashboard.graphql', 'ArrearsOverview') }, caller: asStaff('ARREARS') });
  await send('MyProfile', { body: { query: op('tenant-app.graphql', 'MyProfile') }, caller: tenant });
  await send('MyDataExport', { body: { query: op('tenant-app.graphql', 'MyDataExport') }, caller: tenant });
  await send('MyWorkOrders', { body: { query: op('contractor-app.graphql', 'MyWorkOrders'), variables: { first: 50 } }, caller: contractor });
  await send('WorkOrder', { body: { query: op('contractor-app.graphql', 'WorkOrder'), variables: { id: fx.doneOrderId } }, caller: contractor });
  await send('HandedOverCases', { body: { query: op('bailiff-portal.graphql', 'HandedOverCases') }, caller: { token: tokens.org('bailiff', fx.bailiffId) } });
  await send('MyRenovationProjects', { body: { query: op('builder-portal.graphql', 'MyRenovationProjects') }, caller: { token: tokens.org('builder', fx.builderId) } });
  await send('CurrentPrivacyStatement', { body: { query: op('public.graphql', 'CurrentPrivacyStatement') } });

  // Failing ones.
  await send('bad token', { body: { query: op('tenant-app.graphql', 'MyProfile') }, caller: { token: 'not.a.token' } });
  await send('forged token', { body: { query: op('tenant-app.graphql', 'MyProfile') }, caller: { token: `${tenant.token.slice(0, -4)}AAAA` } });
  await send('no purpose', { body: { query: op('staff-dashboard.graphql', 'TenantDetail'), variables: { id: fx.tenantId } }, caller: { token: tokens.staff('PRIVACY') } });
  await send('forbidden field', { body: { query: `query Iban($id: ID!) { tenant(id: $id) { id lastName iban dateOfBirth } }`, variables: { id: fx.tenantId } }, caller: asStaff('REPAIRS') });
  await send('internal error (NUL byte in search)', {
    body: { query: `query Find($s: String) { tenants(search: $s, first: 5) { edges { node { id } } } }`, variables: { s: `${victim.lastName}\u0000${victim.email}` } },
    caller: asStaff('LETTING'),
  });
  await send('personal value as an id', { body: { query: `query ById($id: ID!) { tenant(id: $id) { id } }`, variables: { id: victim.email } }, caller: asStaff('PRIVACY') });
  await send('personal value as a literal id', { body: { query: `{ tenant(id: "${victim.iban}") { id } }` }, caller: asStaff('PRIVACY') });
  await send('bad variable type', { body: { query: `query Find($s: String) { tenants(search: $s) { totalCount } }`, variables: { s: { phone: victim.phone } } }, caller: asStaff('LETTING') });
  await send('invalid input', { body: { query: `mutation M($i: ContactDetailsInput!) { updateMyContactDetails(input: $i) { id } }`, variables: { i: { iban: `NL00${victim.lastName}`, email: `not-an-email ${victim.email}` } } }, caller: tenant });
  await send('misspelt field', { body: { query: `{ myProfile { lastNam ${victim.lastName}: id } }` }, caller: tenant });
  await send('too deep', { body: { query: `{ myProfile { workOrders { tenant { workOrders { tenant { workOrders { tenant { workOrders { tenant { workOrders { tenant { lastName } } } } } } } } } } } }` }, caller: tenant });
  await send('syntax error', { raw: `{"query":"{ myProfile { ${victim.lastName} "}`, caller: tenant });
  await send('not JSON', { raw: `{ "query": ${victim.email}`, caller: tenant });
  await send('GET with personal values in the query string', {
    method: 'GET', path: `/graphql?query=${encodeURIComponent(`{ tenants(search: "${victim.lastName}") { totalCount } }`)}`,
    caller: asStaff('LETTING'), headers: { 'apollo-require-preflight': 'true' },
  });
  await send('too large', { body: { query: '{ __typename }', variables: { pad: `${victim.email} `.repeat(80_000) } }, caller: tenant });
  await send('not found', { method: 'GET', path: `/${encodeURIComponent(victim.lastName)}` });
  await send('expired token', { body: { query: '{ myProfile { id } }' }, caller: { token: sign({ sub: 'x', role: 'tenant', tenantId: fx.tenantId }, -60) } });
  await send('health', { method: 'GET', path: '/healthz' });
  // The line of a request is written when its response has gone out.
  await new Promise((resolve) => setTimeout(resolve, 100));
});
afterAll(() => t?.close());

const parsed = () => lines.map((line) => JSON.parse(line) as Record<string, any>);

test('the requests ran as intended', () => {
  const status = Object.fromEntries(sent.map((s) => [s.label, s.status]));
  expect(status).toMatchObject({
    TenantList: 200, TenantDetail: 200, MyProfile: 200, HandedOverCases: 200, CurrentPrivacyStatement: 200,
    'bad token': 401, 'too deep': 400, 'syntax error': 400, 'too large': 413, 'not found': 404, health: 200,
  });
  const code = (label: string) => sent.find((s) => s.label === label)!.body.errors?.map((e: any) => e.extensions.code);
  expect(code('forbidden field')).toContain('FORBIDDEN');
  expect(code('internal error (NUL byte in search)')).toEqual(['INTERNAL_SERVER_ERROR']);
  expect(sent.find((s) => s.label === 'TenantList by name')!.body.data.tenants.edges.length).toBeGreaterThan(0);
});

test('there are markers to look for', () => {
  expect(markers.length).toBeGreaterThan(100);
  for (const v of Object.values(victim)) expect(markers).toContain(v);
});

test('no personal value appears in the log', () => {
  expect(lines.length).toBeGreaterThan(sent.length - 1);
  const all = lines.join('\n');
  expect(markers.filter((m) => all.includes(m))).toEqual([]);
});

test('no query text, variables, headers, tokens or addresses are logged', () => {
  const all = lines.join('\n');
  for (const fragment of ['edges', 'myProfile', 'variables', 'Bearer', 'authorization', 'x-purpose', '127.0.0.1', '::1']) {
    expect({ fragment, found: all.includes(fragment) }).toEqual({ fragment, found: false });
  }
  const keys = new Set(parsed().flatMap((l) => Object.keys(l)));
  for (const key of keys) {
    expect(['level', 'time', 'service', 'pid', 'hostname', 'requestId', 'msg', 'method', 'path', 'status', 'durationMs', 'aborted',
      'operationName', 'operationType', 'role', 'purpose', 'errorCodes', 'error', 'code', 'message', 'source', 'check']).toContain(key);
  }
});

test('every line is JSON with a request id', () => {
  for (const line of parsed()) {
    expect(typeof line.requestId).toBe('string');
    expect(typeof line.level).toBe('string');
    expect(typeof line.time).toBe('string');
  }
});

test('every request has exactly one request line, with its id, status and operation', () => {
  const requestLines = parsed().filter((l) => l.msg === 'request');
  expect(requestLines).toHaveLength(sent.length);
  for (const s of sent) {
    const mine = requestLines.filter((l) => l.requestId === s.requestId);
    expect({ label: s.label, n: mine.length }).toEqual({ label: s.label, n: 1 });
    expect(mine[0].status).toBe(s.status);
    expect(typeof mine[0].durationMs).toBe('number');
  }
  const line = (label: string) => requestLines.find((l) => l.requestId === sent.find((s) => s.label === label)!.requestId)!;
  expect(line('TenantList')).toMatchObject({ operationName: 'TenantList', operationType: 'query', role: 'staff', purpose: 'LETTING', status: 200, path: '/graphql' });
  expect(line('MyProfile')).toMatchObject({ operationName: 'MyProfile', role: 'tenant' });
  expect(line('forbidden field')).toMatchObject({ operationName: 'Iban', errorCodes: ['FORBIDDEN'] });
  expect(line('internal error (NUL byte in search)')).toMatchObject({ operationName: 'Find', errorCodes: ['INTERNAL_SERVER_ERROR'], status: 200 });
  expect(line('too deep')).toMatchObject({ errorCodes: ['GRAPHQL_VALIDATION_FAILED'], status: 400 });
  expect(line('health')).toMatchObject({ level: 'debug', path: '/healthz' });
  expect(line('not found')).toMatchObject({ path: '(other)', status: 404, errorCodes: ['NOT_FOUND'] });
  expect(line('too large')).toMatchObject({ status: 413, errorCodes: ['PAYLOAD_TOO_LARGE'] });
  expect(line('GET with personal values in the query string')).toMatchObject({ method: 'GET', path: '/graphql' });
});

test('the internal error is logged with its request id: class, code and message only', () => {
  const failing = sent.find((s) => s.label === 'internal error (NUL byte in search)')!;
  const internal = parsed().filter((l) => l.msg === 'internal error');
  expect(internal.map((l) => l.requestId)).toContain(failing.requestId);
  const mine = internal.find((l) => l.requestId === failing.requestId)!;
  expect(mine.level).toBe('error');
  expect(Object.keys(mine).sort()).toEqual(expect.arrayContaining(['error', 'msg', 'requestId']));
  expect(mine).not.toHaveProperty('stack');
});

test('every error response carries extensions.requestId equal to the x-request-id header', () => {
  const failed = sent.filter((s) => typeof s.body === 'object' && s.body?.errors);
  expect(failed.length).toBeGreaterThanOrEqual(12);
  for (const s of failed) {
    expect(s.requestId).toBeTruthy();
    for (const error of s.body.errors) expect({ label: s.label, requestId: error.extensions?.requestId }).toEqual({ label: s.label, requestId: s.requestId });
  }
});

describe('a response replaced after formatting (the audit store is down)', () => {
  const auditLines: string[] = [];
  let failing: TestApp;
  beforeAll(async () => {
    const stream = new Writable({
      write(chunk, _encoding, done) {
        auditLines.push(...String(chunk).split('\n').filter(Boolean));
        done();
      },
    });
    failing = await startTestApp({ log: createLogger({ stream, level: 'info' }), auditSink: { append: () => Promise.reject(new Error('audit store down')) } });
  });
  afterAll(() => failing?.close());

  test('the error names the request, and the log line has the final status and code', async () => {
    const res = await fetch(failing.app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.tenant(fx.tenantId)}` },
      body: JSON.stringify({ query: op('tenant-app.graphql', 'MyProfile') }),
    });
    expect(res.status).toBe(503);
    const requestId = res.headers.get('x-request-id');
    const body = (await res.json()) as any;
    expect(body.errors).toEqual([{ message: expect.any(String), extensions: { code: 'SERVICE_UNAVAILABLE', requestId } }]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const line = auditLines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.requestId === requestId);
    expect(line).toMatchObject({ status: 503, errorCodes: ['SERVICE_UNAVAILABLE'], operationName: 'MyProfile', level: 'warn' });
  });
});
