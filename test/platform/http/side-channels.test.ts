/**
 * Channels beside the data: no cache keeps a response, and none is sniffed as another type
 * (`Cache-Control: no-store`, `X-Content-Type-Options: nosniff` on every response, personal data or
 * not, error or not); no cache shared between callers answers for another caller's queries.
 */
import { asStaff, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';

let t: TestApp;
let fx: Fixtures;
beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
});
afterAll(() => t?.close());

const post = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

test.each([
  ['personal data (200)', () => post({ query: 'query($id: ID!) { tenant(id: $id) { email } }', variables: { id: fx.tenantId } },
    { authorization: `Bearer ${asStaff('PRIVACY').token}`, 'x-purpose': 'PRIVACY' }), 200],
  ['a tenant profile (200)', () => post({ query: '{ myProfile { email iban } }' }, { authorization: `Bearer ${tokens.tenant(fx.tenantId)}` }), 200],
  ['public data (200)', () => post({ query: '{ privacyStatement { version } }' }), 200],
  ['a forged token (401)', () => post({ query: '{ myProfile { email } }' }, { authorization: 'Bearer not-a-token' }), 401],
  ['an invalid query (400)', () => post({ query: '{ nothingHere }' }), 400],
  ['a mutation over GET (405)', () => fetch(`${t.app.url}?query=${encodeURIComponent('mutation { requestErasure { id } }')}`, { headers: { 'apollo-require-preflight': 'true' } }), 405],
  ['an unknown path (404)', () => fetch(t.app.url.replace('/graphql', '/nope')), 404],
])('%s', async (_name, send, status) => {
  const res = await send();
  await res.arrayBuffer();
  expect(res.status).toBe(status);
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.headers.get('x-content-type-options')).toBe('nosniff');
});

test('automatic persisted queries are off: what others asked cannot be probed through the shared cache', async () => {
  const query = 'query Probe($id: ID!) { tenant(id: $id) { lastName } }';
  const { createHash } = await import('node:crypto');
  const sha256Hash = createHash('sha256').update(query).digest('hex');
  const persisted = { version: 1, sha256Hash };
  // A staff member registers the text with its hash, as an APQ client would.
  const staff = await post({ query, variables: { id: fx.tenantId }, extensions: { persistedQuery: persisted } },
    { authorization: `Bearer ${asStaff('PRIVACY').token}`, 'x-purpose': 'PRIVACY' });
  const anonymous = await post({ variables: { id: fx.tenantId }, extensions: { persistedQuery: persisted } });
  const body = (await anonymous.json()) as { data?: unknown; errors: { extensions: { code: string } }[] };
  // Hashes name only the trusted documents (trusted-documents.json): nothing is registered, for anyone.
  const registered = (await staff.json()) as typeof body;
  for (const answer of [registered, body]) {
    expect(answer.data).toBeUndefined();
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['PERSISTED_QUERY_NOT_FOUND']);
  }
});
