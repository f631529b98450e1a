import { asStaff, codes, GqlResult, startTestApp, TestApp, tokens } from '../../support/app';
import { clientOperation } from '../../support/clients';
import { createTenant, one, OwnTenant, uniqueContact } from '../../support/rows';

const UPDATE = clientOperation('tenant-app.graphql', 'UpdateMyContactDetails');
const CONSENT = clientOperation('tenant-app.graphql', 'SetAnalyticsConsent');

let t: TestApp;
let me: OwnTenant;
let neighbour: OwnTenant;

beforeAll(async () => {
  t = await startTestApp();
  me = await createTenant(t.dataSource);
  neighbour = await createTenant(t.dataSource);
});
afterAll(() => t?.close());

const asMe = () => ({ token: tokens.tenant(me.tenantId) });
const stored = () => one(t.dataSource, `SELECT email, phone, iban,
  EXISTS (SELECT 1 FROM consent_record c WHERE c.tenant_id = tenant.id AND c.withdrawn_at IS NULL) AS analytics_consent
  FROM tenant WHERE id = $1`, [me.tenantId]);
const consents = () => t.dataSource.query(
  `SELECT given_at, withdrawn_at, statement_version FROM consent_record WHERE tenant_id = $1 ORDER BY given_at, withdrawn_at NULLS LAST`, [me.tenantId]);

function expectBadInput(result: GqlResult, field: string) {
  expect(result.data?.updateMyContactDetails ?? null).toBeNull();
  expect(codes(result)).toEqual(['BAD_USER_INPUT']);
  expect(result.errors![0].extensions!.field).toBe(field);
  expect(result.errors![0].message).toContain(field);
}

describe('updateMyContactDetails', () => {
  test('corrects email, phone and iban, normalising the IBAN', async () => {
    const next = uniqueContact();
    const spaced = next.iban.toLowerCase().replace(/(.{4})/g, '$1 ').trim();
    const result = await t.gql(UPDATE, { input: { email: ` ${next.email.toUpperCase()} `, phone: next.phone, iban: spaced } }, asMe());
    expect(result.errors).toBeUndefined();
    expect(result.data.updateMyContactDetails).toEqual({ id: me.tenantId, email: next.email, phone: next.phone, iban: next.iban });
    expect(await stored()).toMatchObject({ email: next.email, phone: next.phone, iban: next.iban });
    Object.assign(me, next);
    // The answer carried personal data: it was audited like any read (who, which fields, never values).
    const events = await t.dataSource.query(
      `SELECT fields FROM audit_event WHERE operation = 'mutation UpdateMyContactDetails' AND tenant_ids @> ARRAY[$1]::uuid[]`, [me.tenantId],
    );
    expect(events).toHaveLength(1);
    expect(events[0].fields).toEqual(expect.arrayContaining(['Tenant.email', 'Tenant.iban']));
  });

  test('changes only the fields given; a phone is stored in E.164', async () => {
    const phone = '0612' + String(Date.now()).slice(-6);
    const result = await t.gql(UPDATE, { input: { phone } }, asMe());
    expect(result.errors).toBeUndefined();
    expect(await stored()).toMatchObject({ email: me.email, phone: `+31${phone.slice(1)}`, iban: me.iban });
    me.phone = `+31${phone.slice(1)}`;
  });

  test.each([
    ['email', { email: 'not-an-email' }],
    ['email', { email: 'a@b' }],
    ['phone', { phone: '06 1234 5678' }],
    ['phone', { phone: '+310612345678' }],
    ['iban', { iban: 'NL00TEST0123456789' }],
    ['input', {}],
    ['input', { email: null }],
  ])('refuses an invalid %s and stores nothing', async (field, input) => {
    const before = await stored();
    expectBadInput(await t.gql(UPDATE, { input }, asMe()), field);
    expect(await stored()).toEqual(before);
  });

  test.each(['email', 'phone', 'iban'] as const)("another tenant's %s is BAD_USER_INPUT naming the field, nothing stored", async (field) => {
    const before = await stored();
    const result = await t.gql(UPDATE, { input: { email: uniqueContact().email, [field]: neighbour[field] } }, asMe());
    expectBadInput(result, field);
    expect(await stored()).toEqual(before);
  });

  const INVALID = { email: 'not-an-email', phone: '06 1234 5678', iban: 'NL00TEST0123456789' };
  test.each(['email', 'phone', 'iban'] as const)("another account's %s is refused exactly as an invalid one: nothing tells them apart", async (field) => {
    const taken = await t.gql(UPDATE, { input: { [field]: neighbour[field] } }, asMe());
    const invalid = await t.gql(UPDATE, { input: { [field]: INVALID[field] } }, asMe());
    expect(codes(taken)).toEqual(['BAD_USER_INPUT']);
    expect({ status: taken.status, data: taken.data, errors: taken.errors }).toEqual({ status: invalid.status, data: invalid.data, errors: invalid.errors });
    expect(JSON.stringify(taken.body)).not.toMatch(/in use|already|another|exist/i);
  });

  test('a phone is one value however it is typed: the national form of a number another tenant holds in E.164 is taken', async () => {
    const national = `0${neighbour.phone.slice(3)}`;
    const before = await stored();
    expectBadInput(await t.gql(UPDATE, { input: { phone: national } }, asMe()), 'phone');
    expect(await stored()).toEqual(before);
  });

  test('is the tenant\'s own: staff, contractors and the public are refused', async () => {
    const input = { email: uniqueContact().email };
    const contractor = await one(t.dataSource, `SELECT id FROM organization WHERE kind = 'CONTRACTOR' LIMIT 1`);
    for (const caller of [asStaff('CONTRACT'), asStaff('PRIVACY'), { token: tokens.org('contractor', contractor.id) }]) {
      const result = await t.gql(UPDATE, { input }, caller);
      expect(result.data?.updateMyContactDetails ?? null).toBeNull();
      expect(codes(result)).toEqual(['FORBIDDEN']);
    }
    expect(codes(await t.gql(UPDATE, { input }))).toEqual(['UNAUTHENTICATED']);
    expect((await stored()).email).toBe(me.email);
  });
});

describe('setAnalyticsConsent', () => {
  test('sets and withdraws the consent', async () => {
    let result = await t.gql(CONSENT, { granted: false }, asMe());
    expect(result.errors).toBeUndefined();
    expect(result.data.setAnalyticsConsent).toEqual({ id: me.tenantId, analyticsConsent: false });
    expect((await stored()).analytics_consent).toBe(false);
    result = await t.gql(CONSENT, { granted: true }, asMe());
    expect(result.data.setAnalyticsConsent.analyticsConsent).toBe(true);
    expect((await stored()).analytics_consent).toBe(true);
  });

  test('each consent is recorded with when it was given, the statement version then in force, and when it was withdrawn', async () => {
    await t.gql(CONSENT, { granted: false }, asMe());
    const before = (await consents()).length;
    const [{ version }] = await t.dataSource.query('SELECT max(version)::int AS version FROM privacy_statement_version');
    expect((await t.gql(CONSENT, { granted: true }, asMe())).errors).toBeUndefined();
    // Giving it again while it is in force records nothing new.
    expect((await t.gql(CONSENT, { granted: true }, asMe())).errors).toBeUndefined();
    let rows = await consents();
    expect(rows).toHaveLength(before + 1);
    const given = rows[rows.length - 1];
    expect(given).toEqual({ given_at: expect.any(Date), withdrawn_at: null, statement_version: version });
    expect((await t.gql(CONSENT, { granted: false }, asMe())).errors).toBeUndefined();
    rows = await consents();
    expect(rows).toHaveLength(before + 1);
    const withdrawn = rows[rows.length - 1];
    expect(withdrawn.given_at).toEqual(given.given_at);
    expect(withdrawn.withdrawn_at.getTime()).toBeGreaterThanOrEqual(given.given_at.getTime());
    // The tenant sees the history, newest first.
    const history = await t.gql('{ myProfile { analyticsConsent consents { kind givenAt statementVersion withdrawnAt } } }', {}, asMe());
    expect(history.errors).toBeUndefined();
    expect(history.data.myProfile.analyticsConsent).toBe(false);
    expect(history.data.myProfile.consents[0]).toEqual({
      kind: 'ANALYTICS_COOKIES', givenAt: given.given_at.toISOString(), statementVersion: version, withdrawnAt: withdrawn.withdrawn_at.toISOString(),
    });
    await t.gql(CONSENT, { granted: true }, asMe());
  });

  test('two changes in one request each answer with the row as it then is', async () => {
    const result = await t.gql(
      `mutation { off: setAnalyticsConsent(granted: false) { analyticsConsent } on: setAnalyticsConsent(granted: true) { analyticsConsent } }`,
      {}, asMe(),
    );
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ off: { analyticsConsent: false }, on: { analyticsConsent: true } });
  });

  test('is refused to staff', async () => {
    const result = await t.gql(CONSENT, { granted: false }, asStaff('PRIVACY'));
    expect(codes(result)).toEqual(['FORBIDDEN']);
    expect((await stored()).analytics_consent).toBe(true);
  });
});
