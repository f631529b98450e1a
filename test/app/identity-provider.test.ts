/**
 * Issue 16, done when: a production start with OIDC_ISSUER pointing at a local issuer serves the
 * client operations to tokens it signs, and nothing else. The server runs with a production
 * configuration (no shared secret, Keycloak's role claim) and its default pre-handlers (the rate
 * limiter verifies tokens too) beside a local OpenID Connect issuer on loopback.
 */
import { App, startServer } from '../../src/app/server';
import { loadConfig } from '../../src/platform/config';
import { config, sign, startTestApp, TestApp } from '../support/app';
import { clientOperation } from '../support/client-operations';
import { findFixtures, Fixtures } from '../support/fixtures';
import { fetchJson } from '../support/fetch-json';
import { hmacToken } from '../support/http';
import { LocalIssuer, startLocalIssuer } from '../support/identity-provider';

let t: TestApp;
let fx: Fixtures;
let idp: LocalIssuer;
let impostor: LocalIssuer;
let prod: App;

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  idp = await startLocalIssuer();
  await idp.addKey('RS256', 'signing-key');
  // Another issuer with a key of the same kid: its tokens name our issuer, but it cannot sign for it.
  impostor = await startLocalIssuer();
  await impostor.addKey('RS256', 'signing-key');
  const production = loadConfig({
    NODE_ENV: 'production',
    PORT: '0',
    OIDC_ISSUER: idp.issuer,
    JWT_ROLE_CLAIM: 'realm_access.roles',
    // The run's audit key and checkpoints: this server's events share the run's database, whose
    // chains other suites verify with that key.
    AUDIT_KEY: config.audit.key,
    AUDIT_CHECKPOINT_DIR: config.audit.checkpointDir,
  });
  expect(production.production).toBe(true);
  expect(production.jwt.secret).toBeUndefined();
  prod = await startServer(production, t.dataSource);
});
afterAll(async () => {
  await prod?.stop();
  await idp?.close();
  await impostor?.close();
  await t?.close();
});

async function post(operation: string, headers: Record<string, string>, variables: Record<string, unknown> = { first: 5 }) {
  const { status, body } = await fetchJson(prod.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ query: operation, variables }),
  });
  return { status, body };
}

const roles = (role: string) => ({ realm_access: { roles: ['offline_access', 'default-roles-mijande', role] } });

describe('tokens the identity provider signs', () => {
  test('staff dashboard OpenWorkOrders with X-Purpose REPAIRS: data', async () => {
    const token = await idp.sign('signing-key', { sub: 'kc-employee', ...roles('staff'), purposes: ['REPAIRS'] });
    const r = await post(clientOperation('staff-dashboard.graphql', 'OpenWorkOrders'), { authorization: `Bearer ${token}`, 'x-purpose': 'REPAIRS' });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.workOrders.totalCount).toBeGreaterThan(0);
    expect(r.body.data.workOrders.edges[0].node.tenant.lastName).toEqual(expect.any(String));
  });

  test('contractor app MyWorkOrders: the contractor\'s own orders', async () => {
    const token = await idp.sign('signing-key', { sub: 'kc-contractor', ...roles('contractor'), orgId: fx.contractorId });
    const r = await post(clientOperation('contractor-app.graphql', 'MyWorkOrders'), { authorization: `Bearer ${token}` });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM work_order WHERE contractor_id = $1`, [fx.contractorId]);
    expect(r.body.data.workOrders.totalCount).toBe(n);
  });
});

describe('and nothing else', () => {
  const openWorkOrders = () => clientOperation('staff-dashboard.graphql', 'OpenWorkOrders');
  const staffClaims = { sub: 'kc-employee', ...roles('staff'), purposes: ['REPAIRS'] };

  test.each<[string, () => Promise<string>]>([
    ['an HS256 development token', async () => sign({ sub: 'employee-1', role: 'staff', purposes: ['REPAIRS'] })],
    ['an HS256 token naming the issuer, signed with the development secret', async () =>
      hmacToken({ ...staffClaims, iss: idp.issuer, aud: 'mijande-api', exp: Math.floor(Date.now() / 1000) + 600 }, config.jwt.secret!)],
    ['a token another issuer signed under the same kid, naming ours', async () => impostor.sign('signing-key', { ...staffClaims, iss: idp.issuer })],
    ['a token of the issuer for another audience', async () => idp.sign('signing-key', staffClaims, { audience: 'another-api' })],
  ])('%s: 401 UNAUTHENTICATED, no data', async (_name, make) => {
    const r = await post(openWorkOrders(), { authorization: `Bearer ${await make()}`, 'x-purpose': 'REPAIRS' });
    expect(r.status).toBe(401);
    expect(r.body.data ?? null).toBeNull();
    expect(r.body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });

  test('a valid token with an operation no app sends: 400 PERSISTED_QUERY_NOT_IN_LIST (trusted documents, on in production)', async () => {
    const token = await idp.sign('signing-key', staffClaims);
    const r = await post('query { workOrders(first: 100) { edges { node { tenant { lastName phone iban } } } } }', { authorization: `Bearer ${token}`, 'x-purpose': 'REPAIRS' });
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.body.errors.map((e: any) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
  });

  test('no token: the operation is refused with UNAUTHENTICATED', async () => {
    const r = await post(openWorkOrders(), {});
    expect(r.body.data?.workOrders ?? null).toBeNull();
    expect(r.body.errors.map((e: any) => e.extensions.code)).toEqual(['UNAUTHENTICATED']);
  });
});
