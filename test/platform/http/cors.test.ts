/**
 * CORS on /graphql (CORS_ORIGINS): a listed origin's preflight is answered with the headers its app
 * sends, its responses name it; any other origin gets no CORS header at all; CSRF prevention still
 * refuses the simple requests a browser sends without a preflight. The browser's side of the same
 * contract is test/platform/http/cors.browser.test.ts.
 */
import { App, startServer } from '../../../src/app/server';
import { ConfigError, corsOrigins, loadConfig } from '../../../src/platform/config';
import { rateLimiter } from '../../../src/platform/http/rate-limit';
import { config, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures } from '../../support/fixtures';

const APP_ORIGIN = 'http://127.0.0.1:5173';
const OTHER_ORIGIN = 'http://127.0.0.1:5174';

let t: TestApp;
let tenantId: string;

beforeAll(async () => {
  t = await startTestApp({ config: { ...config, corsOrigins: [APP_ORIGIN, 'https://dashboard.mijande.nl'] } });
  ({ tenantId } = await findFixtures(t.dataSource));
});
afterAll(() => t.close());

function preflight(url: string, origin: string, requestHeaders = 'authorization,content-type,x-purpose') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });
}

function corsHeaders(res: Response): Record<string, string> {
  return Object.fromEntries([...res.headers].filter(([name]) => name.startsWith('access-control-')));
}

function postFrom(origin: string | undefined, body: unknown, headers: Record<string, string> = {}) {
  return fetch(t.app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(origin ? { origin } : {}), ...headers },
    body: JSON.stringify(body),
  });
}

describe('a listed origin', () => {
  test('its preflight is answered 204 with Authorization, X-Purpose and Content-Type allowed', async () => {
    const res = await preflight(t.app.url, APP_ORIGIN);
    expect(res.status).toBe(204);
    const headers = corsHeaders(res);
    expect(headers['access-control-allow-origin']).toBe(APP_ORIGIN);
    const allowed = headers['access-control-allow-headers'].toLowerCase().split(',');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'x-purpose', 'content-type']));
    expect(headers['access-control-allow-methods'].split(',')).toEqual(expect.arrayContaining(['GET', 'POST']));
    expect(headers['access-control-max-age']).toBe('600');
    // Bearer tokens, never cookies: credentials are not allowed.
    expect(headers['access-control-allow-credentials']).toBeUndefined();
    expect(res.headers.get('vary')).toMatch(/origin/i);
  });

  test('its request is answered with its origin, and may read the request id', async () => {
    const res = await postFrom(APP_ORIGIN, { query: '{ myProfile { id } }' }, { authorization: `Bearer ${tokens.tenant(tenantId)}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ data: { myProfile: { id: tenantId } } });
    expect(res.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(res.headers.get('access-control-expose-headers')?.toLowerCase().split(',')).toEqual(expect.arrayContaining(['x-request-id']));
    expect(res.headers.get('access-control-allow-origin')).not.toBe('*');
  });

  test('CSRF prevention stays on: a simple request from it, which needs no preflight, is refused', async () => {
    const textPlain = await postFrom(APP_ORIGIN, { query: '{ __typename }' }, { 'content-type': 'text/plain' });
    expect(textPlain.status).toBe(400);
    expect(((await textPlain.json()) as any).errors[0].message).toMatch(/Cross-Site Request Forgery/);
    const get = await fetch(`${t.app.url}?query=${encodeURIComponent('{ __typename }')}`, { headers: { origin: APP_ORIGIN } });
    expect(get.status).toBe(400);
  });
});

describe('any other origin', () => {
  test.each([
    ['another port', OTHER_ORIGIN],
    ['another host', 'https://evil.example'],
    ['the listed host over http', 'http://dashboard.mijande.nl'],
    ['a listed origin with a path-like suffix', `${APP_ORIGIN}.evil.example`],
    ['null (a sandboxed page or file:)', 'null'],
  ])('%s: its preflight is refused without a single CORS header', async (_, origin) => {
    const res = await preflight(t.app.url, origin);
    expect(res.status).toBe(403);
    expect(corsHeaders(res)).toEqual({});
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('FORBIDDEN');
  });

  test('its request gets no CORS header, so its browser keeps the answer from the page', async () => {
    const res = await postFrom(OTHER_ORIGIN, { query: '{ privacyStatement { version } }' });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
  });

  test('a request without Origin (a server, curl) gets no CORS header either', async () => {
    const res = await postFrom(undefined, { query: '{ privacyStatement { version } }' });
    expect(res.status).toBe(200);
    expect(corsHeaders(res)).toEqual({});
  });

  test('the health checks answer no preflight', async () => {
    const res = await preflight(t.app.url.replace('/graphql', '/healthz'), APP_ORIGIN);
    expect(corsHeaders(res)).toEqual({});
  });
});

describe('without CORS_ORIGINS', () => {
  let app: App;
  beforeAll(async () => {
    app = await startServer({ ...config, corsOrigins: [] }, t.dataSource);
  });
  afterAll(() => app.stop());

  test('no origin is allowed', async () => {
    for (const origin of [APP_ORIGIN, OTHER_ORIGIN]) {
      const res = await preflight(app.url, origin);
      expect(res.status).toBe(403);
      expect(corsHeaders(res)).toEqual({});
    }
  });
});

describe('with the rate limiter', () => {
  let app: App;
  beforeAll(async () => {
    const limiter = rateLimiter({ perSubject: 100, perAddress: 1, jwt: config.jwt });
    app = await startServer({ ...config, corsOrigins: [APP_ORIGIN] }, t.dataSource, { preHandlers: [limiter] });
  });
  afterAll(() => app.stop());

  test('preflights do not spend the budget, and a 429 names the origin so that the app can read Retry-After', async () => {
    for (let i = 0; i < 3; i++) expect((await preflight(app.url, APP_ORIGIN)).status).toBe(204);
    const post = (origin: string) => fetch(app.url, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: '{"query":"{ __typename }"}' });
    expect((await post(APP_ORIGIN)).status).toBe(200);
    const limited = await post(APP_ORIGIN);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('access-control-allow-origin')).toBe(APP_ORIGIN);
    expect(limited.headers.get('access-control-expose-headers')?.toLowerCase()).toContain('retry-after');
    expect(corsHeaders(await post(OTHER_ORIGIN))).toEqual({});
  });
});

describe('CORS_ORIGINS', () => {
  test('comma-separated origins, trimmed, each once; unset or empty: none', () => {
    expect(corsOrigins({ CORS_ORIGINS: ' https://a.mijande.nl, http://localhost:5173,https://a.mijande.nl ' })).toEqual([
      'https://a.mijande.nl',
      'http://localhost:5173',
    ]);
    expect(corsOrigins({})).toEqual([]);
    expect(corsOrigins({ CORS_ORIGINS: '' })).toEqual([]);
    expect(loadConfig({ CORS_ORIGINS: 'http://localhost:3000' }).corsOrigins).toEqual(['http://localhost:3000']);
  });

  test.each(['*', 'https://a.mijande.nl/', 'https://a.mijande.nl/app', 'a.mijande.nl', 'ftp://a.mijande.nl', 'https://A.mijande.nl', 'https://a.mijande.nl:443', 'null'])(
    'refuses %s with a message naming the setting',
    (value) => {
      expect(() => corsOrigins({ CORS_ORIGINS: value })).toThrow(ConfigError);
      expect(() => corsOrigins({ CORS_ORIGINS: value })).toThrow(/^CORS_ORIGINS must list origins/);
    },
  );

  test('production: https, or http only on a loopback host', () => {
    expect(() => corsOrigins({ CORS_ORIGINS: 'http://dashboard.mijande.nl' }, true)).toThrow(/https origins in production/);
    expect(corsOrigins({ CORS_ORIGINS: 'https://dashboard.mijande.nl,http://localhost:8080' }, true)).toEqual(['https://dashboard.mijande.nl', 'http://localhost:8080']);
    expect(corsOrigins({ CORS_ORIGINS: 'http://dashboard.mijande.nl' }, false)).toEqual(['http://dashboard.mijande.nl']);
  });
});
