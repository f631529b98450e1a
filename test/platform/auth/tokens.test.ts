/**
 * POLICY.md "Identity": tokens are verified (signature, expiry, issuer, audience); a missing,
 * expired or forged token never sees personal data; staff declare a purpose they hold.
 * Through HTTP on queries that return personal data, plus unit tests of the config and the token
 * functions.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { signToken, verifyToken, Claims } from '../../../src/platform/auth/tokens';
import { ConfigError, DEVELOPMENT_AUDIT_KEY, DEVELOPMENT_JWT_SECRET, loadConfig } from '../../../src/platform/config';
import { config, codes, sign, startTestApp, TestApp, tokens } from '../../support/app';
import { findFixtures, Fixtures } from '../../support/fixtures';
import { expectNoneOf, postRaw, rawSign, unsignedToken } from '../../support/http';

const execFileAsync = promisify(execFile);

const STAFF_TENANT = `query StaffTenant($id: ID!) { tenant(id: $id) { id firstName lastName email iban } }`;
const MY_PROFILE = `query MyProfile { myProfile { id firstName lastName email iban } }`;
const PRIVACY_STATEMENT = `query Statement { privacyStatement { version text } }`;

let t: TestApp;
let fx: Fixtures;
/** The fixture tenant's stored personal values: a response that leaks shows one of them. */
let secrets: { firstName: string; lastName: string; email: string; iban: string };

beforeAll(async () => {
  t = await startTestApp();
  fx = await findFixtures(t.dataSource);
  const [row] = await t.dataSource.query(
    `SELECT first_name AS "firstName", last_name AS "lastName", email, iban FROM tenant WHERE id = $1`,
    [fx.tenantId],
  );
  secrets = row;
  expect(secrets.email).toBeTruthy();
  expect(secrets.lastName).toBeTruthy();
  expect(secrets.iban).toBeTruthy();
});
afterAll(() => t?.close());

/** Every personal value of the fixture tenant that could appear in a response. */
const personalValues = () => [secrets.email, secrets.lastName, secrets.iban, fx.tenantId];

describe('valid tokens (control: the probes below do reach personal data)', () => {
  test('a staff token with a granted purpose reads the tenant', async () => {
    const r = await t.gql(STAFF_TENANT, { id: fx.tenantId }, { token: tokens.staff('RENT_COLLECTION'), purpose: 'RENT_COLLECTION' });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data.tenant).toMatchObject({ id: fx.tenantId, lastName: secrets.lastName, email: secrets.email, iban: secrets.iban });
  });

  test('a tenant token reads its own profile', async () => {
    const r = await t.gql(MY_PROFILE, undefined, { token: tokens.tenant(fx.tenantId) });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data.myProfile).toMatchObject({ id: fx.tenantId, lastName: secrets.lastName, email: secrets.email });
  });
});

describe('no token', () => {
  test('staff tenant(id) without a token: null with UNAUTHENTICATED, no personal value', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, {});
    expect(r.data?.tenant ?? null).toBeNull();
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expect(r.errors![0].path).toEqual(['tenant']);
    expectNoneOf(r.text, [secrets.email, secrets.lastName, secrets.iban]);
  });

  test('myProfile without a token: null with UNAUTHENTICATED', async () => {
    const r = await postRaw(t, MY_PROFILE, undefined, {});
    expect(r.data?.myProfile ?? null).toBeNull();
    expect(codes(r)).toEqual(['UNAUTHENTICATED']);
    expectNoneOf(r.text, [secrets.email, secrets.lastName, secrets.iban]);
  });

  test('an X-Purpose header does not stand in for a token', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, { 'x-purpose': 'PRIVACY' });
    expect(r.data?.tenant ?? null).toBeNull();
    expect(codes(r)).toContain('UNAUTHENTICATED');
    expectNoneOf(r.text, [secrets.email, secrets.lastName, secrets.iban]);
  });

  test('the public privacy statement still works without a token', async () => {
    const r = await postRaw(t, PRIVACY_STATEMENT, undefined, {});
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    expect(r.data.privacyStatement).toEqual({ version: expect.any(Number), text: expect.any(String) });
    expect(r.data.privacyStatement.text.length).toBeGreaterThan(20);
  });
});

describe('tokens that do not verify: HTTP 401, UNAUTHENTICATED, no data', () => {
  const staffClaims = { sub: 'employee-x', role: 'staff', purposes: ['REPAIRS', 'RENT_COLLECTION', 'PRIVACY'] };
  const tenantClaims = () => ({ sub: 'tenant-x', role: 'tenant', tenantId: fx.tenantId });

  const forged: [string, () => string][] = [
    ['expired (2 minutes ago)', () => rawSign(staffClaims, { expiresIn: -120 })],
    ['expired tenant token', () => rawSign(tenantClaims(), { expiresIn: -120 })],
    ['signed with another key', () => rawSign(staffClaims, { secret: 'another-secret-of-at-least-thirty-two-bytes!' })],
    ['tenant token signed with another key', () => rawSign(tenantClaims(), { secret: 'another-secret-of-at-least-thirty-two-bytes!' })],
    ['alg: none, no signature', () => unsignedToken(staffClaims)],
    ['alg: none tenant token', () => unsignedToken(tenantClaims())],
    ['alg: none with the signature of a valid token', () => {
      const valid = rawSign(staffClaims).split('.');
      const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
      return `${header}.${valid[1]}.${valid[2]}`;
    }],
    ['HS512 with the right secret (only HS256 is accepted)', () => rawSign(staffClaims, { algorithm: 'HS512' })],
    ['wrong audience', () => rawSign(staffClaims, { audience: 'another-api' })],
    ['no audience', () => rawSign(staffClaims, { audience: null })],
    ['wrong issuer', () => rawSign(staffClaims, { issuer: 'evil-auth' })],
    ['no issuer', () => rawSign(staffClaims, { issuer: null })],
    ['payload swapped under a valid signature', () => {
      const [h, , s] = rawSign({ sub: 'c', role: 'contractor', orgId: randomUUID() }).split('.');
      const payload = decodeJwt(rawSign(staffClaims));
      return `${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`;
    }],
    ['signature truncated', () => rawSign(staffClaims).slice(0, -3)],
    ['not a JWT at all', () => 'not-a-jwt'],
    ['tenant role without tenantId', () => rawSign({ sub: 'tenant-x', role: 'tenant' })],
    ['tenant role with a tenantId that is not a uuid', () => rawSign({ sub: 'tenant-x', role: 'tenant', tenantId: 'everyone' })],
    ['staff role without purposes', () => rawSign({ sub: 'employee-x', role: 'staff' })],
    ['staff role with an unknown purpose', () => rawSign({ sub: 'employee-x', role: 'staff', purposes: ['REPAIRS', 'EVERYTHING'] })],
    ['staff role with purposes not a list', () => rawSign({ sub: 'employee-x', role: 'staff', purposes: 'PRIVACY' })],
    ['contractor role without orgId', () => rawSign({ sub: 'contractor-x', role: 'contractor' })],
    ['builder role without orgId', () => rawSign({ sub: 'builder-x', role: 'builder' })],
    ['bailiff role with an orgId that is not a uuid', () => rawSign({ sub: 'bailiff-x', role: 'bailiff', orgId: 'all' })],
    ['an unknown role', () => rawSign({ sub: 'root', role: 'admin', purposes: ['PRIVACY'] })],
    ['no sub', () => rawSign({ role: 'staff', purposes: ['PRIVACY'] })],
    ['no exp: it would be accepted forever', () => rawSign(staffClaims, { expiresIn: null })],
    ['valid for ten years', () => rawSign(staffClaims, { expiresIn: 10 * 365 * 86_400 })],
    ['one second past the maximum lifetime of 12 hours', () => rawSign(staffClaims, { expiresIn: 12 * 3600 + 1 })],
    ['issued in the future (iat beyond the clock skew)', () => rawSign({ ...staffClaims, iat: Math.floor(Date.now() / 1000) + 120 }, { expiresIn: 60 })],
    ['not valid before a minute from now (nbf)', () => rawSign({ ...staffClaims, nbf: Math.floor(Date.now() / 1000) + 60 })],
    ['a crit header parameter the API does not implement', () =>
      rawSign(staffClaims, { header: { crit: ['exp'] } })],
  ];

  test.each(forged)('%s', async (_name, make) => {
    const token = make();
    for (const [query, variables, purpose] of [
      [STAFF_TENANT, { id: fx.tenantId }, 'PRIVACY'],
      [MY_PROFILE, undefined, undefined],
    ] as const) {
      const headers: Record<string, string> = { authorization: `Bearer ${token}` };
      if (purpose) headers['x-purpose'] = purpose;
      const r = await postRaw(t, query, variables, headers);
      expect(r.status).toBe(401);
      expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
      expect(codes(r).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
      expect(r.data ?? null).toBeNull();
      expectNoneOf(r.text, personalValues());
      // The refusal says nothing about why: no http status leaks into extensions, no stack.
      expect(r.errors![0].extensions).toEqual({ code: 'UNAUTHENTICATED' });
    }
  });

  const malformed: [string, string][] = [
    ['Basic scheme', `Basic ${Buffer.from('user:pass').toString('base64')}`],
    ['bare token without scheme', '<valid>'],
    ['Bearer without a token', 'Bearer'],
    ['Bearer with two parts', 'Bearer <valid> extra'],
    ['Token scheme', 'Token <valid>'],
    ['Bearer followed by garbage', 'Bearer ...'],
  ];

  test.each(malformed)('malformed Authorization header: %s', async (_name, value) => {
    const header = value.replace('<valid>', tokens.staff('PRIVACY'));
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, { authorization: header, 'x-purpose': 'PRIVACY' });
    expect(r.status).toBe(401);
    expect(r.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(r.data ?? null).toBeNull();
    expectNoneOf(r.text, personalValues());
  });

  test('a token at the maximum lifetime, or with nbf within the clock skew, is accepted', async () => {
    const claims = { sub: 'tenant-x', role: 'tenant', tenantId: fx.tenantId };
    for (const token of [rawSign(claims, { expiresIn: 12 * 3600 }), rawSign({ ...claims, nbf: Math.floor(Date.now() / 1000) + 3 })]) {
      const r = await postRaw(t, MY_PROFILE, undefined, { authorization: `Bearer ${token}` });
      expect(r.status).toBe(200);
      expect(r.data.myProfile.email).toBe(secrets.email);
    }
  });

  test('a token expired just beyond the clock tolerance is refused, a fresh one of the same claims is not', async () => {
    const claims = { sub: 'tenant-x', role: 'tenant', tenantId: fx.tenantId };
    const stale = await postRaw(t, MY_PROFILE, undefined, { authorization: `Bearer ${rawSign(claims, { expiresIn: -30 })}` });
    expect(stale.status).toBe(401);
    expectNoneOf(stale.text, personalValues());
    const fresh = await postRaw(t, MY_PROFILE, undefined, { authorization: `Bearer ${rawSign(claims, { expiresIn: 60 })}` });
    expect(fresh.status).toBe(200);
    expect(fresh.data.myProfile.email).toBe(secrets.email);
  });
});

describe('X-Purpose', () => {
  test('a purpose the token does not grant: HTTP 403 FORBIDDEN, no data', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, {
      authorization: `Bearer ${tokens.staff('REPAIRS')}`,
      'x-purpose': 'PRIVACY',
    });
    expect(r.status).toBe(403);
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.data ?? null).toBeNull();
    expectNoneOf(r.text, personalValues());
  });

  test('an unknown purpose: HTTP 403 FORBIDDEN, no data', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, {
      authorization: `Bearer ${tokens.staff('REPAIRS', 'PRIVACY')}`,
      'x-purpose': 'MARKETING',
    });
    expect(r.status).toBe(403);
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expect(r.data ?? null).toBeNull();
    expectNoneOf(r.text, personalValues());
  });

  test('a purpose in the wrong case is not a purpose', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, {
      authorization: `Bearer ${tokens.staff('PRIVACY')}`,
      'x-purpose': 'privacy',
    });
    expect(r.status).toBe(403);
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expectNoneOf(r.text, personalValues());
  });

  test('X-Purpose is for staff only: a tenant sending one is refused', async () => {
    const r = await postRaw(t, MY_PROFILE, undefined, {
      authorization: `Bearer ${tokens.tenant(fx.tenantId)}`,
      'x-purpose': 'PRIVACY',
    });
    expect(r.status).toBe(403);
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expectNoneOf(r.text, personalValues());
  });

  test('staff without X-Purpose: tenant(id) gives no personal value (null + FORBIDDEN)', async () => {
    const r = await t.gql(STAFF_TENANT, { id: fx.tenantId }, { token: tokens.staff('REPAIRS', 'RENT_COLLECTION', 'PRIVACY') });
    expect(r.status).toBe(200);
    expect(r.data?.tenant ?? null).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expectNoneOf(JSON.stringify(r.body), [secrets.email, secrets.lastName, secrets.iban]);
  });

  test('staff without X-Purpose: the tenants list gives no personal value either', async () => {
    const r = await t.gql(`{ tenants(first: 5) { totalCount edges { node { id lastName email } } } }`, undefined, {
      token: tokens.staff('PRIVACY'),
    });
    expect(r.data?.tenants ?? null).toBeNull();
    expect(codes(r)).toContain('FORBIDDEN');
    expect(JSON.stringify(r.body)).not.toMatch(/@/);
  });

  test('staff without X-Purpose still read data about no person: organizations', async () => {
    const r = await t.gql(`{ organizations { id name } }`, undefined, { token: tokens.staff('REPAIRS') });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM organization`);
    expect(r.data.organizations).toHaveLength(n);
    expect(r.data.organizations[0]).toEqual({ id: expect.any(String), name: expect.any(String) });
  });

  test('an empty X-Purpose is the same as none', async () => {
    const r = await postRaw(t, STAFF_TENANT, { id: fx.tenantId }, {
      authorization: `Bearer ${tokens.staff('PRIVACY')}`,
      'x-purpose': '  ',
    });
    expect(r.data?.tenant ?? null).toBeNull();
    expect(codes(r)).toEqual(['FORBIDDEN']);
    expectNoneOf(r.text, [secrets.email, secrets.lastName, secrets.iban]);
  });
});

describe('loadConfig', () => {
  const secret32 = 'x'.repeat(32);

  test('production without JWT_SECRET throws', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
  });

  test('production with an empty JWT_SECRET throws', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: '' })).toThrow(ConfigError);
  });

  test('production with a 31-byte secret throws', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) })).toThrow(ConfigError);
  });

  test('production with a 32-byte secret works and uses it', () => {
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret32, JWT_ALLOW_SHARED_SECRET: 'true', AUDIT_KEY: secret32 });
    expect(c.production).toBe(true);
    expect(c.jwt.secret).toBe(secret32);
  });

  test('production refuses to start without an audit key of at least 32 bytes; outside production a development key exists', () => {
    const rest = { NODE_ENV: 'production', JWT_SECRET: secret32, JWT_ALLOW_SHARED_SECRET: 'true' };
    expect(() => loadConfig(rest)).toThrow(/AUDIT_KEY/);
    expect(() => loadConfig({ ...rest, AUDIT_KEY: '' })).toThrow(/AUDIT_KEY/);
    expect(() => loadConfig({ ...rest, AUDIT_KEY: 'x'.repeat(31) })).toThrow(ConfigError);
    expect(loadConfig({ ...rest, AUDIT_KEY: secret32 }).audit.key).toBe(secret32);
    expect(loadConfig({ NODE_ENV: 'development' }).audit.key).toBe(DEVELOPMENT_AUDIT_KEY);
    expect(() => loadConfig({ NODE_ENV: 'development', AUDIT_KEY: 'short' })).toThrow(/AUDIT_KEY/);
  });

  test('audit checkpoints go to AUDIT_CHECKPOINT_DIR, by default <DATA_DIR>/audit-checkpoints', () => {
    expect(loadConfig({ DATA_DIR: '/srv/mijande' }).audit.checkpointDir).toBe('/srv/mijande/audit-checkpoints');
    expect(loadConfig({ DATA_DIR: '/srv/mijande', AUDIT_CHECKPOINT_DIR: '/var/audit' }).audit.checkpointDir).toBe('/var/audit');
  });

  test('production never falls back to the development secret', () => {
    expect(() => loadConfig({ NODE_ENV: 'production', JWT_SECRET: undefined })).toThrow(/JWT_SECRET/);
  });

  test('outside production a development default exists', () => {
    for (const NODE_ENV of [undefined, 'development', 'test']) {
      const c = loadConfig({ NODE_ENV });
      expect(c.production).toBe(false);
      expect(c.jwt.secret).toBe(DEVELOPMENT_JWT_SECRET);
      expect(Buffer.byteLength(c.jwt.secret!)).toBeGreaterThanOrEqual(32);
    }
  });

  test('outside production a JWT_SECRET that is set is used, and a short one is still refused', () => {
    expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: secret32 }).jwt.secret).toBe(secret32);
    expect(() => loadConfig({ NODE_ENV: 'development', JWT_SECRET: 'short' })).toThrow(ConfigError);
  });

  test('the maximum token lifetime is 12 hours unless JWT_MAX_LIFETIME says otherwise', () => {
    expect(loadConfig({}).jwt.maxLifetimeSeconds).toBe(12 * 3600);
    expect(loadConfig({ JWT_MAX_LIFETIME: '15m' }).jwt.maxLifetimeSeconds).toBe(900);
    expect(loadConfig({ JWT_MAX_LIFETIME: '3600' }).jwt.maxLifetimeSeconds).toBe(3600);
    expect(() => loadConfig({ JWT_MAX_LIFETIME: 'forever' })).toThrow(ConfigError);
    expect(() => loadConfig({ JWT_MAX_LIFETIME: '0' })).toThrow(ConfigError);
  });

  test('a configured maximum lifetime is what verifyToken enforces', async () => {
    const settings = { secret: 's'.repeat(40), issuer: 'iss-test', audience: 'aud-test', maxLifetimeSeconds: 60 };
    const claims: Claims = { sub: 'tenant-1', role: 'tenant', tenantId: randomUUID() };
    await expect(verifyToken(signToken(claims, settings, 60), settings)).resolves.toEqual(claims);
    await expect(verifyToken(signToken(claims, settings, 61), settings)).rejects.toThrow('invalid or expired');
  });

  test('issuer and audience default to mijande-auth / mijande-api and can be set', () => {
    const c = loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret32, JWT_ALLOW_SHARED_SECRET: 'true', AUDIT_KEY: secret32 });
    expect(c.jwt.issuer).toBe('mijande-auth');
    expect(c.jwt.audience).toBe('mijande-api');
    const d = loadConfig({ JWT_ISSUER: 'iss-x', JWT_AUDIENCE: 'aud-y' });
    expect(d.jwt).toMatchObject({ issuer: 'iss-x', audience: 'aud-y' });
  });
});

describe('signToken / verifyToken', () => {
  const settings = { secret: 's'.repeat(40), issuer: 'iss-test', audience: 'aud-test' };

  const roundTrips: Claims[] = [
    { sub: 'tenant-1', role: 'tenant', tenantId: randomUUID() },
    { sub: 'employee-1', role: 'staff', purposes: ['REPAIRS', 'PRIVACY'] },
    { sub: 'contractor-1', role: 'contractor', orgId: randomUUID() },
    { sub: 'builder-1', role: 'builder', orgId: randomUUID() },
    { sub: 'bailiff-1', role: 'bailiff', orgId: randomUUID() },
  ];

  test.each(roundTrips)('round trip of $role claims', async (claims) => {
    const token = signToken(claims, settings, 60);
    await expect(verifyToken(token, settings)).resolves.toEqual(claims);
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    const payload = decodeJwt(token);
    expect(payload).toMatchObject({ sub: claims.sub, iss: 'iss-test', aud: 'aud-test' });
    expect(payload.exp! - payload.iat!).toBe(60);
  });

  test('a claim that does not belong to the role is dropped', async () => {
    const token = signToken({ sub: 'c', role: 'contractor', orgId: randomUUID(), purposes: ['PRIVACY'] }, settings);
    expect((await verifyToken(token, settings)).purposes).toBeUndefined();
  });

  const expectUnauthenticated = async (fn: () => Promise<unknown>) => {
    let thrown: any;
    try {
      await fn();
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeDefined();
    expect(thrown.extensions?.code).toBe('UNAUTHENTICATED');
  };

  test('a tampered signature is rejected', async () => {
    const token = signToken({ sub: 'employee-1', role: 'staff', purposes: ['REPAIRS'] }, settings);
    const [h, p, s] = token.split('.');
    const flipped = s.slice(0, 5) + (s[5] === 'A' ? 'B' : 'A') + s.slice(6);
    await expectUnauthenticated(() => verifyToken(`${h}.${p}.${flipped}`, settings));
  });

  test('a tampered payload is rejected', async () => {
    const token = signToken({ sub: 'employee-1', role: 'staff', purposes: ['REPAIRS'] }, settings);
    const [h, p, s] = token.split('.');
    const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    payload.purposes = ['REPAIRS', 'PRIVACY'];
    await expectUnauthenticated(() => verifyToken(`${h}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.${s}`, settings));
  });

  test('another secret, issuer or audience is rejected', async () => {
    const token = signToken({ sub: 'employee-1', role: 'staff', purposes: ['REPAIRS'] }, settings);
    await expectUnauthenticated(() => verifyToken(token, { ...settings, secret: 't'.repeat(40) }));
    await expectUnauthenticated(() => verifyToken(token, { ...settings, issuer: 'other' }));
    await expectUnauthenticated(() => verifyToken(token, { ...settings, audience: 'other' }));
  });

  test('an expired token is rejected', async () => {
    const token = signToken({ sub: 'employee-1', role: 'staff', purposes: ['REPAIRS'] }, settings, -60);
    await expectUnauthenticated(() => verifyToken(token, settings));
  });

  test('the test helper signs with the server settings', async () => {
    const token = sign({ sub: 'employee-1', role: 'staff', purposes: ['LETTING'] });
    await expect(verifyToken(token, config.jwt)).resolves.toEqual({ sub: 'employee-1', role: 'staff', purposes: ['LETTING'] });
  });
});

describe('the token script (scripts/token.ts, as `npm run token` runs it)', () => {
  // Run from source through @swc-node/register, so the test needs no build first.
  const script = JSON.stringify(resolve(__dirname, '../../../scripts/token.ts'));
  const prefix = ['-r', '@swc-node/register', '-e', `require(${script})`, '--'];
  const env = { ...process.env, NODE_ENV: 'test', SWC_NODE_PROJECT: resolve(__dirname, '../../support/tsconfig.child.json') };
  const run = test;

  run('prints a contractor token the server accepts', async () => {
    const orgId = fx.contractorId;
    // Asynchronously: a synchronous child would block this process's test server meanwhile.
    const out = (await execFileAsync(process.execPath, [...prefix, '--role', 'contractor', '--org', orgId], { env, encoding: 'utf8' })).stdout.trim();
    expect(out.split('.')).toHaveLength(3);
    await expect(verifyToken(out, config.jwt)).resolves.toMatchObject({ role: 'contractor', orgId });
    const r = await t.gql(`{ workOrders(first: 1) { totalCount } }`, undefined, { token: out });
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    const [{ n }] = await t.dataSource.query(`SELECT count(*)::int AS n FROM work_order WHERE contractor_id = $1`, [orgId]);
    expect(r.data.workOrders.totalCount).toBe(n);
  });

  run('refuses a contractor without --org and staff without valid purposes', () => {
    const noOrg = spawnSync(process.execPath, [...prefix, '--role', 'contractor'], { env, encoding: 'utf8' });
    expect(noOrg.status).toBe(2);
    expect(noOrg.stdout.trim()).toBe('');
    const badPurpose = spawnSync(process.execPath, [...prefix, '--role', 'staff', '--purposes', 'REPAIRS,EVERYTHING'], { env, encoding: 'utf8' });
    expect(badPurpose.status).toBe(2);
    expect(badPurpose.stdout.trim()).toBe('');
  });

  run('with an identity provider there is no secret to sign with: says so, prints no token', () => {
    const withIdp = spawnSync(process.execPath, [...prefix, '--role', 'staff', '--purposes', 'REPAIRS'],
      { env: { ...env, OIDC_ISSUER: 'https://idp.example.org/realms/mijande', JWT_SECRET: '' }, encoding: 'utf8' });
    expect(withIdp.status).toBe(2);
    expect(withIdp.stdout.trim()).toBe('');
    expect(withIdp.stderr).toMatch(/Tokens come from the identity provider/);
    expect(withIdp.stderr).not.toMatch(/\s+at /);
  });

  run('npm run token runs the script from source, without a build first', () => {
    const { scripts } = require('../../../package.json') as { scripts: Record<string, string> };
    expect(scripts.token).toBe('node -r @swc-node/register scripts/token.ts');
  });
});
