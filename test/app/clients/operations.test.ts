/**
 * The API's operations that the apps' documents do not hold yet (operations/*.graphql: the
 * lifecycle, the privacy officer's rights work, art. 19 notices, a tenant's other requests). Their
 * manifest, trusted-documents.operations.json, is generated beside the apps' and committed; an
 * operator trusts it in production with TRUSTED_DOCUMENTS_EXTRA, so nothing the API offers is out
 * of production's reach, while the apps' own list stays exactly ../shared/clients.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSchema, Kind, OperationDefinitionNode, parse, validate } from 'graphql';
import {
  manifestText, OPERATIONS_DIR, OPERATIONS_MANIFEST_FILE, trustedDocumentManifest,
} from '../../../scripts/lib/trusted-documents';
import { clientFiles, clientOperationNames, CLIENTS_COPY_DIR } from '../../support/clients';
import { App, startServer } from '../../../src/app/server';
import { ConfigError } from '../../../src/platform/config';
import { asStaff, Caller, checkedErrors, productionConfig, startTestApp, TestApp, tokens } from '../../support/app';
import { fetchJson } from '../../support/fetch-json';
import { findFixtures, Fixtures } from '../../support/fixtures';

const schema = buildSchema(readFileSync(join(CLIENTS_COPY_DIR, '../schema.graphql'), 'utf8'));
const operations = () => JSON.parse(readFileSync(OPERATIONS_MANIFEST_FILE, 'utf8')) as ReturnType<typeof trustedDocumentManifest>;

test('trusted-documents.operations.json is what npm run trusted-documents writes from operations/', () => {
  // On failure: npm run trusted-documents, review the diff, commit it.
  expect(readFileSync(OPERATIONS_MANIFEST_FILE, 'utf8')).toBe(manifestText(trustedDocumentManifest(OPERATIONS_DIR)));
});

test('every document of operations/ validates against schema.graphql, under names the apps do not use', () => {
  for (const file of clientFiles(OPERATIONS_DIR)) {
    expect({ file, errors: validate(schema, parse(readFileSync(join(OPERATIONS_DIR, file), 'utf8'))).map((e) => e.message) })
      .toEqual({ file, errors: [] });
  }
  const apps = new Set(clientOperationNames(undefined, CLIENTS_COPY_DIR).map((o) => o.name));
  const own = clientOperationNames(undefined, OPERATIONS_DIR).map((o) => o.name);
  expect(own.length).toBeGreaterThan(10);
  expect(own.filter((name) => apps.has(name))).toEqual([]);
});

test('every query and mutation of the schema is reached by an app\'s document or by operations/', () => {
  const reached = new Set<string>();
  for (const dir of [CLIENTS_COPY_DIR, OPERATIONS_DIR]) {
    for (const file of clientFiles(dir)) {
      for (const d of parse(readFileSync(join(dir, file), 'utf8')).definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        for (const s of (d as OperationDefinitionNode).selectionSet.selections) if (s.kind === Kind.FIELD) reached.add(`${d.operation}.${s.name.value}`);
      }
    }
  }
  const offered = [
    ...Object.keys(schema.getQueryType()!.getFields()).map((f) => `query.${f}`),
    ...Object.keys(schema.getMutationType()!.getFields()).map((f) => `mutation.${f}`),
  ];
  expect(offered.filter((f) => !reached.has(f))).toEqual([]);
});

describe('TRUSTED_DOCUMENTS_EXTRA in production', () => {
  let t: TestApp;
  let fx: Fixtures;
  let plain: App;
  let extra: App;
  const idOf = (name: string) => operations().operations.find((o) => o.name === name)!.id;

  beforeAll(async () => {
    t = await startTestApp();
    fx = await findFixtures(t.dataSource);
    plain = await startServer(productionConfig(), t.dataSource, { preHandlers: [] });
    extra = await startServer(productionConfig({ TRUSTED_DOCUMENTS_EXTRA: OPERATIONS_MANIFEST_FILE }), t.dataSource, { preHandlers: [] });
  });
  afterAll(async () => {
    await extra?.stop();
    await plain?.stop();
    await t?.close();
  });

  async function post(app: App, body: unknown, caller: Caller) {
    const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${caller.token ?? ''}` };
    if (caller.purpose) headers['x-purpose'] = caller.purpose;
    const r = await fetchJson(app.url, { method: 'POST', headers, body: JSON.stringify(body) });
    return { ...r, errors: checkedErrors(r.body?.errors, r.headers.get('x-request-id')) };
  }

  test('without it an operation of operations/ is refused; with it, it runs by its id for its role', async () => {
    const body = { documentId: `sha256:${idOf('RecipientNotices')}`, variables: { sent: false } };
    const refused = await post(plain, body, asStaff('PRIVACY'));
    expect(refused.status).toBe(400);
    expect(refused.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const ran = await post(extra, body, asStaff('PRIVACY'));
    expect(ran.status).toBe(200);
    expect(ran.errors).toBeUndefined();
    expect(Array.isArray(ran.body.data.recipientNotices)).toBe(true);
  });

  test('the apps\' documents still run beside them, and an unlisted text is still refused', async () => {
    const apps = JSON.parse(readFileSync(join(CLIENTS_COPY_DIR, '../trusted-documents.json'), 'utf8'));
    const profile = apps.operations.find((o: { name: string }) => o.name === 'MyProfile');
    const ran = await post(extra, { documentId: `sha256:${profile.id}` }, { token: tokens.tenant(fx.tenantId) });
    expect(ran.errors).toBeUndefined();
    expect(ran.body.data.myProfile.id).toBe(fx.tenantId);
    const unlisted = await post(extra, { query: '{ myProfile { id email } }' }, { token: tokens.tenant(fx.tenantId) });
    expect(unlisted.status).toBe(400);
    expect(unlisted.errors?.[0].extensions?.code).toBe('PERSISTED_QUERY_NOT_IN_LIST');
  });

  test('a file that does not exist is refused at start-up; a manifest naming an app\'s operation stops the start', async () => {
    expect(() => productionConfig({ TRUSTED_DOCUMENTS_EXTRA: '/nonexistent/extra.json' }))
      .toThrow(new ConfigError(['TRUSTED_DOCUMENTS_EXTRA must list manifest files that exist: /nonexistent/extra.json does not']));
    const dir = mkdtempSync(join(tmpdir(), 'trusted-extra-'));
    const clash = join(dir, 'clash.json');
    const body = 'query MyProfile { myProfile { id } }';
    writeFileSync(clash, JSON.stringify({
      format: 'apollo-persisted-query-manifest', version: 1,
      operations: [{ id: require('node:crypto').createHash('sha256').update(body).digest('hex'), name: 'MyProfile', type: 'query', body }],
    }));
    await expect(startServer(productionConfig({ TRUSTED_DOCUMENTS_EXTRA: clash }), t.dataSource, { preHandlers: [] }))
      .rejects.toThrow(/lists MyProfile, which another manifest already lists/);
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"format": "something else"}');
    await expect(startServer(productionConfig({ TRUSTED_DOCUMENTS_EXTRA: broken }), t.dataSource, { preHandlers: [] }))
      .rejects.toThrow(/is not an Apollo persisted query manifest/);
  });
});
