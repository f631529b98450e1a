/**
 * The development IDE over HTTP: GraphiQL's page and files from the installed packages, the
 * development token endpoint and what it refuses, and that production serves none of it. Its
 * behaviour in a browser is graphql-ide.browser.test.ts.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { EXAMPLE_QUERIES, SUBJECTS_QUERY } from '../../../src/app/graphql-ide/examples';
import { IDE_CONTENT_SECURITY_POLICY } from '../../../src/app/graphql-ide/graphql-ide';
import { App, startServer } from '../../../src/app/server';
import { PURPOSES } from '../../../src/platform/auth/audiences';
import { verifyToken } from '../../../src/platform/auth/tokens';
import { loadConfig } from '../../../src/platform/config';
import { config, productionConfig, startTestApp, TestApp } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

let t: TestApp;
let fx: Fixtures;
let origin: string;

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  origin = new URL(t.app.url).origin;
});
afterAll(() => t.close());

const html = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

async function pageOf(app: App): Promise<{ res: Response; text: string }> {
  const res = await fetch(app.url, { headers: html });
  return { res, text: await res.text() };
}

function ideConfig(page: string): any {
  const json = /<script type="application\/json" id="ide-config">(.*?)<\/script>/s.exec(page)?.[1];
  return JSON.parse(json!);
}

function mint(body: unknown, headers: Record<string, string> = {}, base = origin) {
  return fetch(`${base}/graphql/ide/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const installed = (pkg: string, file: string) => readFileSync(join(dirname(require.resolve(`${pkg}/package.json`)), file));

describe('the page', () => {
  test('a browser at GET /graphql gets GraphiQL, whose scripts and styles all come from this server', async () => {
    const { res, text } = await pageOf(t.app);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('content-security-policy')).toBe(IDE_CONTENT_SECURITY_POLICY);
    expect(IDE_CONTENT_SECURITY_POLICY).toMatch(/script-src 'self';/);
    expect(IDE_CONTENT_SECURITY_POLICY).toMatch(/connect-src 'self';/);
    const sources = [...text.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(sources).toEqual([
      '/graphql/ide/graphiql.min.css',
      '/graphql/ide/ide.css',
      '/graphql/ide/react.production.min.js',
      '/graphql/ide/react-dom.production.min.js',
      '/graphql/ide/graphiql.min.js',
      '/graphql/ide/ide.js',
    ]);
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/apollo|sandbox|cdn/i);
  });

  test('its files are the installed packages\' own', async () => {
    const expected: [string, Buffer, string][] = [
      ['graphiql.min.js', installed('graphiql', 'graphiql.min.js'), 'text/javascript; charset=utf-8'],
      ['graphiql.min.css', installed('graphiql', 'graphiql.min.css'), 'text/css; charset=utf-8'],
      ['react.production.min.js', installed('react', 'umd/react.production.min.js'), 'text/javascript; charset=utf-8'],
      ['react-dom.production.min.js', installed('react-dom', 'umd/react-dom.production.min.js'), 'text/javascript; charset=utf-8'],
    ];
    for (const [name, content, type] of expected) {
      const res = await fetch(`${origin}/graphql/ide/${name}`);
      expect([name, res.status, res.headers.get('content-type')]).toEqual([name, 200, type]);
      expect(Buffer.from(await res.arrayBuffer()).equals(content)).toBe(true);
    }
    for (const missing of ['../package.json', 'graphiql.min.js.map', 'token.js', '']) {
      expect((await fetch(`${origin}/graphql/ide/${missing}`)).status).toBe(404);
    }
  });

  test('Authorization and X-Purpose are preset: a staff token with every purpose, which verifies', async () => {
    const { text } = await pageOf(t.app);
    const preset = ideConfig(text);
    expect(preset.canMint).toBe(true);
    expect(preset.defaultHeaders['X-Purpose']).toBe('REPAIRS');
    const claims = await verifyToken(preset.defaultHeaders.Authorization.replace(/^Bearer /, ''), config.jwt);
    expect(claims).toMatchObject({ role: 'staff', purposes: [...PURPOSES] });
    expect(preset.roles).toEqual(['tenant', 'staff', 'contractor', 'builder', 'bailiff', 'public']);
  });

  test('an API request is not the page: GET with a query, or without Accept: text/html, goes to Apollo', async () => {
    const withQuery = await fetch(`${t.app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { ...html, 'apollo-require-preflight': 'true' } });
    expect(await withQuery.json()).toEqual({ data: { __typename: 'Query' } });
    const plain = await fetch(t.app.url);
    expect(plain.status).toBe(400);
    expect(plain.headers.get('content-type')).toMatch(/application\/json/);
  });

  test('every example query and the picker\'s own query are valid against the schema', () => {
    const schema = buildSchema(readFileSync(resolve(__dirname, '../../../schema.graphql'), 'utf8'));
    for (const [role, query] of Object.entries({ ...EXAMPLE_QUERIES, picker: SUBJECTS_QUERY })) {
      expect([role, validate(schema, parse(query)).map((e) => e.message)]).toEqual([role, []]);
    }
  });
});

describe('the development token endpoint', () => {
  test('mints a tenant token that reads that tenant\'s profile', async () => {
    const res = await mint({ role: 'tenant', tenantId: fx.tenantId });
    expect(res.status).toBe(200);
    const { token } = (await res.json()) as { token: string };
    const profile = await t.gql('{ myProfile { id } }', undefined, { token });
    expect(profile.data).toEqual({ myProfile: { id: fx.tenantId } });
  });

  test('mints organisation and staff tokens with the claims asked for, living at most an hour', async () => {
    const contractor = (await (await mint({ role: 'contractor', orgId: fx.contractorId })).json()) as { token: string };
    expect(await verifyToken(contractor.token, config.jwt)).toMatchObject({ role: 'contractor', orgId: fx.contractorId, sub: 'ide-contractor' });
    const staff = (await (await mint({ role: 'staff', purposes: ['PRIVACY', 'PRIVACY'] })).json()) as { token: string };
    expect(await verifyToken(staff.token, config.jwt)).toMatchObject({ role: 'staff', purposes: ['PRIVACY'] });
    const payload = JSON.parse(Buffer.from(staff.token.split('.')[1], 'base64url').toString());
    expect(payload.exp - payload.iat).toBe(3600);
  });

  test.each([
    [{ role: 'admin' }, /role must be one of tenant, staff, contractor, builder, bailiff/],
    [{ role: 'tenant' }, /tenantId must be a tenant id/],
    [{ role: 'tenant', tenantId: "x' OR 1=1" }, /tenantId must be a tenant id/],
    [{ role: 'bailiff', tenantId: '00000000-0000-4000-8000-000000000000' }, /orgId must be an organisation id/],
    [{ role: 'staff', purposes: [] }, /purposes must list purposes from REPAIRS/],
    [{ role: 'staff', purposes: ['REPAIRS', 'EVERYTHING'] }, /purposes must list purposes/],
    ['not json', /role must be one of/],
  ])('refuses %j with BAD_USER_INPUT', async (body, message) => {
    const res = await mint(body);
    expect(res.status).toBe(400);
    const error = ((await res.json()) as any).errors[0];
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(message);
    expect(error.message).not.toMatch(/OR 1=1|EVERYTHING/);
  });

  test('only POST with JSON, and only from this server\'s own pages', async () => {
    expect((await fetch(`${origin}/graphql/ide/token`)).status).toBe(405);
    const textPlain = await fetch(`${origin}/graphql/ide/token`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"role":"staff","purposes":["PRIVACY"]}' });
    expect(textPlain.status).toBe(415);
    const foreign = await mint({ role: 'staff', purposes: ['PRIVACY'] }, { origin: 'http://127.0.0.1:5173' });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    const own = await mint({ role: 'staff', purposes: ['PRIVACY'] }, { origin });
    expect(own.status).toBe(200);
  });
});

describe('with a configured JWT_SECRET', () => {
  let app: App;
  beforeAll(async () => {
    const secret = 'a-development-secret-someone-configured-32b';
    app = await startServer({ ...config, jwt: loadConfig({ JWT_SECRET: secret }).jwt }, t.dataSource);
  });
  afterAll(() => app.stop());

  test('no token is minted: the page presets a placeholder and the endpoint refuses', async () => {
    const { res, text } = await pageOf(app);
    expect(res.status).toBe(200);
    const preset = ideConfig(text);
    expect(preset.canMint).toBe(false);
    expect(preset.defaultHeaders.Authorization).not.toMatch(/^Bearer ey/);
    const refused = await mint({ role: 'staff', purposes: ['PRIVACY'] }, {}, new URL(app.url).origin);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as any).errors[0].message).toMatch(/only with the development secret/);
  });
});

describe('production', () => {
  let app: App;
  beforeAll(async () => {
    app = await startServer(productionConfig(), t.dataSource);
  });
  afterAll(() => app.stop());

  test('no IDE, no landing page, no token endpoint, no IDE files', async () => {
    const { res, text } = await pageOf(app);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(text).not.toMatch(/<html|graphiql|sandbox/i);
    const base = new URL(app.url).origin;
    expect((await mint({ role: 'staff', purposes: ['PRIVACY'] }, {}, base)).status).toBe(404);
    for (const name of ['graphiql.min.js', 'ide.js']) expect((await fetch(`${base}/graphql/ide/${name}`)).status).toBe(404);
  });
});
