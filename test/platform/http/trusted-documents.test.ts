/**
 * Trusted documents (issue 16, item 4): in production only the apps' operations run. A client names
 * a document of trusted-documents.json by `documentId` or Apollo's `extensions.persistedQuery`, or
 * sends its exact text; anything else is refused with a code before it is parsed or run: no context,
 * no statement, no audit event. With `TRUSTED_DOCUMENTS=off` (development's default) other texts run
 * and ids still resolve.
 */
import { App, startServer } from '../../../src/app/server';
import type { AuditRecord } from '../../../src/platform/audit/audit-hash';
import { ConfigError, loadConfig, trustedDocumentsMode } from '../../../src/platform/config';
import type { TrustedDocumentRefusalCode } from '../../../src/platform/http/trusted-documents';
import { checkedErrors, productionConfig, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/client-operations';
import { fetchJson } from '../../support/fetch-json';
import { findFixtures, Fixtures } from '../../support/fixtures';
import manifest from '../../../trusted-documents.json';

let t: TestApp;
let fx: Fixtures;
let prod: App;
/** A tenant whose consent these tests change: from the end of the id order, away from other suites' fixtures. */
let consentTenant: string;
const events: AuditRecord[] = [];
const refusals: TrustedDocumentRefusalCode[] = [];

const idOf = (name: string) => manifest.operations.find((o) => o.name === name)!.id;
const myProfile = () => clientOperation('tenant-app.graphql', 'MyProfile');
const tenantHeaders = () => ({ 'content-type': 'application/json', authorization: `Bearer ${tokens.tenant(fx.tenantId)}` });

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  [{ id: consentTenant }] = await t.dataSource.query(`SELECT id FROM tenant WHERE status = 'ACTIVE' ORDER BY id DESC OFFSET 11 LIMIT 1`);
  const production = productionConfig();
  expect(production.trustedDocuments).toBe('enforce');
  prod = await startServer(production, t.dataSource, {
    preHandlers: [],
    auditSink: { append: async (record) => void events.push(record) },
    onTrustedDocumentRefusal: (code) => refusals.push(code),
  });
});
afterAll(async () => {
  await prod?.stop();
  await t?.close();
});
beforeEach(() => {
  events.length = 0;
  refusals.length = 0;
});

async function post(url: string, body: unknown, headers: Record<string, string> = tenantHeaders()) {
  const r = await fetchJson(url, { method: 'POST', headers, body: JSON.stringify(body) });
  return { ...r, errors: checkedErrors(r.body?.errors, r.headers.get('x-request-id')) };
}

async function get(url: string, params: Record<string, string>) {
  const r = await fetchJson(`${url}?${new URLSearchParams(params)}`, { headers: { ...tenantHeaders(), 'apollo-require-preflight': 'true' } });
  return { ...r, errors: checkedErrors(r.body?.errors, r.headers.get('x-request-id')) };
}

describe('TRUSTED_DOCUMENTS', () => {
  test('enforce in production and off elsewhere, unless set; any other value is refused at start-up', () => {
    expect(trustedDocumentsMode({ NODE_ENV: 'production' })).toBe('enforce');
    expect(trustedDocumentsMode({ NODE_ENV: 'development' })).toBe('off');
    expect(trustedDocumentsMode({})).toBe('off');
    expect(trustedDocumentsMode({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'off' })).toBe('off');
    expect(trustedDocumentsMode({ TRUSTED_DOCUMENTS: 'enforce' })).toBe('enforce');
    expect(() => loadConfig({ TRUSTED_DOCUMENTS: 'on' })).toThrow(new ConfigError(['TRUSTED_DOCUMENTS must be enforce or off']));
  });
});

describe('enforced (production): the apps\' documents run', () => {
  const expectProfile = (r: { status: number; body: any; errors?: unknown[] }) => {
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.body.data.myProfile.id).toBe(fx.tenantId);
  };

  test.each<[string, () => unknown]>([
    ['documentId sha256:<hex>', () => ({ documentId: `sha256:${idOf('MyProfile')}` })],
    ['documentId as the bare hex of the manifest', () => ({ documentId: idOf('MyProfile') })],
    ['extensions.persistedQuery.sha256Hash (Apollo)', () => ({ extensions: { persistedQuery: { version: 1, sha256Hash: idOf('MyProfile') } } })],
    ['the exact text', () => ({ query: myProfile() })],
    ['the id with the same text beside it', () => ({ query: myProfile(), extensions: { persistedQuery: { version: 1, sha256Hash: idOf('MyProfile') } } })],
  ])('POST %s: the data, audited', async (_name, body) => {
    const r = await post(prod.url, body());
    expectProfile(r);
    expect(events.map((e) => e.operation)).toEqual(['query MyProfile']);
    expect(refusals).toEqual([]);
  });

  test('GET with documentId, and with Apollo\'s extension: the data', async () => {
    expectProfile(await get(prod.url, { documentId: `sha256:${idOf('MyProfile')}` }));
    expectProfile(await get(prod.url, { extensions: JSON.stringify({ persistedQuery: { version: 1, sha256Hash: idOf('MyProfile') } }) }));
  });

  test('a listed mutation by id, with its variables', async () => {
    const r = await post(prod.url, { documentId: `sha256:${idOf('SetAnalyticsConsent')}`, variables: { granted: false } }, {
      ...tenantHeaders(), authorization: `Bearer ${tokens.tenant(consentTenant)}`,
    });
    expect(r.status).toBe(200);
    expect(r.body.data.setAnalyticsConsent).toEqual({ id: consentTenant, analyticsConsent: false });
  });

  test('a listed mutation by id over GET: 405, as for its text', async () => {
    const r = await get(prod.url, { documentId: `sha256:${idOf('SetAnalyticsConsent')}`, variables: '{"granted":false}' });
    expect(r.status).toBe(405);
    expect(r.body.data).toBeUndefined();
  });
});

describe('enforced (production): anything else is refused before it runs', () => {
  const selectAll = `{ tenants(first: 100) { edges { node { id firstName lastName iban } } } }`;

  test.each<[string, TrustedDocumentRefusalCode, () => unknown]>([
    ['a text no app sends', 'PERSISTED_QUERY_NOT_IN_LIST', () => ({ query: selectAll })],
    ['a listed text with one space more', 'PERSISTED_QUERY_NOT_IN_LIST', () => ({ query: `${myProfile()} ` })],
    ['a listed text with another operation beside it', 'PERSISTED_QUERY_NOT_IN_LIST', () => ({ query: `${myProfile()}\n${selectAll}`, operationName: 'MyProfile' })],
    ['no document at all', 'PERSISTED_QUERY_NOT_IN_LIST', () => ({ variables: {} })],
    ['a batch', 'PERSISTED_QUERY_NOT_IN_LIST', () => [{ query: myProfile() }]],
    ['an unknown documentId', 'PERSISTED_QUERY_NOT_FOUND', () => ({ documentId: `sha256:${'0'.repeat(64)}` })],
    ['a documentId of another kind', 'PERSISTED_QUERY_NOT_FOUND', () => ({ documentId: 'x-app:MyProfile' })],
    ['an unknown Apollo hash (APQ stays off: the text beside it is not stored)', 'PERSISTED_QUERY_NOT_FOUND', () => ({
      query: selectAll, extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(64) } },
    })],
    ['a listed id with another text beside it', 'BAD_REQUEST', () => ({ documentId: idOf('MyProfile'), query: selectAll })],
    ['documentId and Apollo\'s hash naming different documents', 'BAD_REQUEST', () => ({
      documentId: idOf('MyProfile'), extensions: { persistedQuery: { version: 1, sha256Hash: idOf('MyNotifications') } },
    })],
    ['a persisted query of another version', 'BAD_REQUEST', () => ({ extensions: { persistedQuery: { version: 2, sha256Hash: idOf('MyProfile') } } })],
  ])('%s: 400 %s, no data, no audit event', async (_name, code, body) => {
    const r = await post(prod.url, body());
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    expect(r.errors).toEqual([{ message: expect.any(String), extensions: { code } }]);
    expect(events).toEqual([]);
    expect(refusals).toEqual([code]);
  });

  test('GET with a text no app sends, or a parameter twice: refused', async () => {
    const text = await get(prod.url, { query: selectAll });
    expect([text.status, text.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['PERSISTED_QUERY_NOT_IN_LIST']]);
    const twice = await fetchJson(`${prod.url}?documentId=${idOf('MyProfile')}&documentId=${idOf('MyNotifications')}`, {
      headers: { ...tenantHeaders(), 'apollo-require-preflight': 'true' },
    });
    expect([twice.status, twice.body.errors[0].extensions.code]).toEqual([400, 'BAD_REQUEST']);
    expect(events).toEqual([]);
  });

  test('an unlisted mutation writes nothing', async () => {
    const [before] = await t.dataSource.query(`SELECT EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = $1 AND c.withdrawn_at IS NULL) AS consent, (SELECT count(*)::int FROM consent_record c WHERE c.tenant_id = $1) AS records`, [consentTenant]);
    const r = await post(prod.url, { query: `mutation { setAnalyticsConsent(granted: ${!before.consent}) { id } }` }, {
      ...tenantHeaders(), authorization: `Bearer ${tokens.tenant(consentTenant)}`,
    });
    expect(r.errors?.map((e) => e.extensions?.code)).toEqual(['PERSISTED_QUERY_NOT_IN_LIST']);
    const [after] = await t.dataSource.query(`SELECT EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = $1 AND c.withdrawn_at IS NULL) AS consent, (SELECT count(*)::int FROM consent_record c WHERE c.tenant_id = $1) AS records`, [consentTenant]);
    expect(after).toEqual(before);
  });

  test('the refusal names no part of the request', async () => {
    const r = await post(prod.url, { query: `{ tenants(search: "Jansen") { totalCount } }` });
    expect(r.text).not.toMatch(/Jansen|tenants/);
  });
});

describe('off (development)', () => {
  test('any text runs; ids resolve; an unknown id is still PERSISTED_QUERY_NOT_FOUND', async () => {
    expect(loadConfig({ NODE_ENV: 'development' }).trustedDocuments).toBe('off');
    const text = await post(t.app.url, { query: `{ myProfile { id } }` });
    expect([text.status, text.body.data]).toEqual([200, { myProfile: { id: fx.tenantId } }]);
    const byId = await post(t.app.url, { documentId: `sha256:${idOf('MyProfile')}` });
    expect(byId.body.data.myProfile.id).toBe(fx.tenantId);
    const unknown = await post(t.app.url, { documentId: `sha256:${'0'.repeat(64)}` });
    expect([unknown.status, unknown.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['PERSISTED_QUERY_NOT_FOUND']]);
  });
});
