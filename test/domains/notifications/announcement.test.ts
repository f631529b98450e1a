/** POLICY.md "Announcements": a merger or a transfer reaches everyone whose data is still kept. */
import { asStaff, codes, startTestApp, TestApp, tokens } from '../../support/app';
import { createTenant, OwnTenant } from '../../support/rows';

let t: TestApp;
let active: OwnTenant;
let homeSeeker: OwnTenant;
let former: OwnTenant;
let lapsed: OwnTenant;
let anonymised: OwnTenant;
beforeAll(async () => {
  t = await startTestApp();
  active = await createTenant(t.dataSource);
  homeSeeker = await createTenant(t.dataSource, { lease: 'none', status: 'HOME_SEEKER' });
  former = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET deregistered_at = now() - interval '11 months' WHERE id = $1`, [former.tenantId]);
  lapsed = await createTenant(t.dataSource, { lease: 'ended', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET deregistered_at = now() - interval '13 months' WHERE id = $1`, [lapsed.tenantId]);
  anonymised = await createTenant(t.dataSource, { lease: 'none', status: 'FORMER' });
  await t.dataSource.query(`UPDATE tenant SET anonymized_at = now() WHERE id = $1`, [anonymised.tenantId]);
});
afterAll(() => t?.close());

const ANNOUNCE = 'mutation($input: AnnouncementInput!) { announceToDataSubjects(input: $input) }';
const inbox = (x: OwnTenant) => t.dataSource.query(`SELECT message FROM notification WHERE tenant_id = $1 AND kind = 'ANNOUNCEMENT'`, [x.tenantId]);

test('a merger reaches tenants, home seekers and former tenants within retention; not those past it or anonymised', async () => {
  const details = `Per 1 maart gaat uw dossier over. Kenmerk ${Math.random().toString(36).slice(2)}.`;
  const input = { subject: 'MERGER', party: 'Woonstichting Samen', details };
  const result = await t.gql(ANNOUNCE, { input }, asStaff('PRIVACY'));
  expect(result.errors).toBeUndefined();
  for (const kept of [active, homeSeeker, former]) {
    const [notice] = await inbox(kept);
    expect(notice.message).toContain('Woonstichting Samen');
    expect(notice.message).toContain(details);
  }
  expect(await inbox(lapsed)).toEqual([]);
  expect(await inbox(anonymised)).toEqual([]);
  const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM notification WHERE kind = 'ANNOUNCEMENT' AND message LIKE $1`, [`%${details}%`]);
  expect(result.data.announceToDataSubjects).toBe(n);
  // The tenant reads it in the inbox.
  const mine = await t.gql('{ myNotifications { kind message } }', {}, { token: tokens.tenant(homeSeeker.tenantId) });
  expect(mine.data.myNotifications).toEqual(expect.arrayContaining([{ kind: 'ANNOUNCEMENT', message: expect.stringContaining(details) }]));
});

test('a transfer names the party; the input is validated and the mutation is the privacy officer\'s', async () => {
  const before = (await inbox(active)).length;
  const blank = await t.gql(ANNOUNCE, { input: { subject: 'TRANSFER', party: ' ', details: 'x' } }, asStaff('PRIVACY'));
  expect(codes(blank)).toEqual(['BAD_USER_INPUT']);
  expect(blank.errors![0].extensions!.field).toBe('party');
  for (const caller of [asStaff('LETTING'), { token: tokens.tenant(active.tenantId) }]) {
    expect(codes(await t.gql(ANNOUNCE, { input: { subject: 'TRANSFER', party: 'X', details: 'y' } }, caller))).toEqual(['FORBIDDEN']);
  }
  expect(await inbox(active)).toHaveLength(before);
  const ok = await t.gql(ANNOUNCE, { input: { subject: 'TRANSFER', party: 'Stichting Archief', details: 'Uw oude dossier.' } }, asStaff('PRIVACY'));
  expect(ok.errors).toBeUndefined();
  expect((await inbox(active)).map((n: any) => n.message)).toEqual(expect.arrayContaining([expect.stringMatching(/^Wij dragen persoonsgegevens over aan Stichting Archief/)]));
});
