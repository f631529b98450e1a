import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createTenant, one, OwnTenant } from '../../support/rows';

const PUBLISH = clientOperation('staff-dashboard.graphql', 'PublishPrivacyStatement');
const CURRENT = clientOperation('public.graphql', 'CurrentPrivacyStatement');

let t: TestApp;
let active: OwnTenant;
let former: OwnTenant;
let homeSeeker: OwnTenant;
let lapsed: OwnTenant;
let anonymised: OwnTenant;
let text: string;

beforeAll(async () => {
  t = await startTestApp();
  active = await createTenant(t.dataSource);
  // Deregistered today: within the year of retention, so still someone whose data is kept.
  former = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  homeSeeker = await createTenant(t.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
  // Past the retention year (anonymisation is due) and already anonymised: nobody to tell.
  lapsed = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET deregistered_at = now() - interval '13 months' WHERE id = $1`, [lapsed.tenantId]);
  anonymised = await createTenant(t.dataSource, { lease: 'none', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET anonymized_at = now() WHERE id = $1`, [anonymised.tenantId]);
  // Republish the current text, so that other tests reading the statement see the same words.
  text = (await t.gql(CURRENT)).data.privacyStatement.text;
});
afterAll(() => t?.close());

const latest = async () => (await one(t.dataSource, `SELECT max(version)::int AS v FROM privacy_statement_version`)).v as number;
const notices = (tenantId: string) =>
  t.dataSource.query(`SELECT message FROM notification WHERE tenant_id = $1 AND kind = 'PRIVACY_STATEMENT_CHANGED'`, [tenantId]);

test('a minor change: the next version, no notifications', async () => {
  const result = await t.gql(PUBLISH, { input: { text, significant: false } }, asStaff('PRIVACY'));
  expect(result.errors).toBeUndefined();
  const published = result.data.publishPrivacyStatement;
  expect(published).toMatchObject({ significant: false });
  expect(published.version).toBeGreaterThanOrEqual(2);
  expect(await notices(active.tenantId)).toEqual([]);
});

test('a significant change notifies everyone whose data is kept (tenants, home seekers, former tenants within retention), in one statement', async () => {
  const before = await latest();
  // Tenants that other test files create meanwhile (same database) need not have been notified.
  const { ids: existing } = await one(t.dataSource, `SELECT array_agg(id) AS ids FROM tenant`);
  const result = await t.gql(PUBLISH, { input: { text: `  ${text}\n`, significant: true } }, asStaff('PRIVACY'));
  expect(result.errors).toBeUndefined();
  const { version } = result.data.publishPrivacyStatement;
  expect(version).toBeGreaterThan(before);
  expect((await one(t.dataSource, `SELECT text FROM privacy_statement_version WHERE version = $1`, [version])).text).toBe(text);
  for (const kept of [active, homeSeeker, former]) {
    expect(await notices(kept.tenantId)).toEqual([{ message: expect.stringContaining(`versie ${version}`) }]);
  }
  expect(await notices(lapsed.tenantId)).toEqual([]);
  expect(await notices(anonymised.tenantId)).toEqual([]);
  const missing = await one(t.dataSource, `
    SELECT count(*)::int AS n FROM tenant t WHERE t.anonymized_at IS NULL
      AND (t.status <> 'FORMER' OR t.deregistered_at > now() - interval '1 year') AND NOT EXISTS (
      SELECT 1 FROM notification n WHERE n.tenant_id = t.id AND n.kind = 'PRIVACY_STATEMENT_CHANGED' AND n.message LIKE $1)
      AND t.id = ANY($2::uuid[])`,
  [`%versie ${version})%`, existing]);
  expect(missing.n).toBe(0);
  expect((await t.gql(CURRENT)).data.privacyStatement.version).toBeGreaterThanOrEqual(version);
});

test.each([
  ['empty', ''],
  ['blank', '   \n  '],
  ['too long', 'x'.repeat(100_001)],
])('refuses %s text and stores nothing', async (_case, bad) => {
  const before = await latest();
  const result = await t.gql(PUBLISH, { input: { text: bad, significant: true } }, asStaff('PRIVACY'));
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors![0].extensions!.field).toBe('text');
  expect(await latest()).toBe(before);
});

test('is PRIVACY only', async () => {
  const before = await latest();
  for (const caller of [asStaff('LETTING'), { token: tokens.staff('PRIVACY') }, { token: tokens.tenant(active.tenantId) }, {}]) {
    expect(codes(await t.gql(PUBLISH, { input: { text, significant: true } }, caller))).toEqual([caller.token ? 'FORBIDDEN' : 'UNAUTHENTICATED']);
  }
  expect(await latest()).toBe(before);
});
