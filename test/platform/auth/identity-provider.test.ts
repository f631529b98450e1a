/**
 * Issue 16 item 3: tokens from the corporation's identity provider. A local OpenID Connect issuer
 * on loopback (test/support/identity-provider.ts) serves its discovery document and key set; the
 * settings come from jwtConfig as the server reads them. Valid RS256, ES256 and EdDSA tokens, key
 * rotation without a restart, unknown keys (refetch rate-limited: the key set's requests are
 * counted), wrong issuers, HS256 and key confusion against a key set, the token rules for every
 * algorithm, claim paths, and the production refusals at start-up.
 */
import { randomUUID } from 'node:crypto';
import { ConfigError, DEVELOPMENT_JWT_SECRET, jwtConfig, loadConfig } from '../../../src/platform/config';
import { Claims, JwtSettings, signToken, verifyToken } from '../../../src/platform/auth/tokens';
import { hmacToken } from '../../support/http';
import { LocalIssuer, startLocalIssuer } from '../../support/identity-provider';

let idp: LocalIssuer;

beforeAll(async () => {
  idp = await startLocalIssuer();
  await idp.addKey('RS256', 'rsa-1');
  await idp.addKey('ES256', 'ec-1');
  await idp.addKey('EdDSA', 'ed-1');
});
afterAll(() => idp?.close());
afterEach(() => jest.restoreAllMocks());

/** Fresh settings, so each test starts with an empty key cache: as a server that just started. */
const oidc = (env: NodeJS.ProcessEnv = {}): JwtSettings => jwtConfig({ OIDC_ISSUER: idp.issuer, ...env });

const staff = { sub: 'employee-7', role: 'staff', purposes: ['REPAIRS', 'PRIVACY'] };
const staffClaims: Claims = { sub: 'employee-7', role: 'staff', purposes: ['REPAIRS', 'PRIVACY'] };

async function expectRefused(token: string | Promise<string>, settings: JwtSettings): Promise<void> {
  const refused = await verifyToken(await token, settings).then(() => undefined, (error) => error);
  expect(refused?.extensions?.code).toBe('UNAUTHENTICATED');
}

/** Moves the clock jose's key-set cooldown reads (Date.now) forward; token times stay valid. */
function clockForward(ms: number): void {
  const now = Date.now();
  jest.spyOn(Date, 'now').mockImplementation(() => now + ms);
}

describe('valid tokens from the identity provider', () => {
  test.each(['rsa-1', 'ec-1', 'ed-1'])('a token signed with %s verifies, its issuer found through discovery', async (kid) => {
    const settings = oidc();
    expect(settings).toMatchObject({ issuer: idp.issuer, oidcIssuer: idp.issuer, audience: 'mijande-api' });
    expect(settings.secret).toBeUndefined();
    await expect(verifyToken(await idp.sign(kid, staff), settings)).resolves.toEqual(staffClaims);
  });

  test('the discovery document and the key set are fetched once, then cached', async () => {
    const settings = oidc();
    const [discovery, jwks] = [idp.requests('discovery'), idp.requests('jwks')];
    for (const kid of ['rsa-1', 'ec-1', 'ed-1', 'rsa-1']) await verifyToken(await idp.sign(kid, staff), settings);
    expect(idp.requests('discovery') - discovery).toBe(1);
    expect(idp.requests('jwks') - jwks).toBe(1);
  });

  test('JWT_JWKS_URL takes the key set without discovery; iss must then be JWT_ISSUER', async () => {
    const settings = jwtConfig({ JWT_JWKS_URL: idp.jwksUrl, JWT_ISSUER: idp.issuer });
    const discovery = idp.requests('discovery');
    await expect(verifyToken(await idp.sign('ec-1', staff), settings)).resolves.toEqual(staffClaims);
    expect(idp.requests('discovery')).toBe(discovery);
    await expectRefused(idp.sign('ec-1', staff), jwtConfig({ JWT_JWKS_URL: idp.jwksUrl }));
  });
});

describe('key rotation and unknown keys', () => {
  test('a key the identity provider starts serving later is accepted without a restart', async () => {
    const settings = oidc();
    await verifyToken(await idp.sign('rsa-1', staff), settings);
    const fetched = idp.requests('jwks');
    const rotated = await idp.addKey('RS256', `rsa-rotated-${randomUUID()}`);
    // Right after a fetch the cooldown holds: one more fetch per period at most.
    await expectRefused(idp.sign(rotated.kid, staff), settings);
    expect(idp.requests('jwks')).toBe(fetched);
    clockForward(31_000);
    await expect(verifyToken(await idp.sign(rotated.kid, staff), settings)).resolves.toEqual(staffClaims);
    expect(idp.requests('jwks')).toBe(fetched + 1);
    // The old key still verifies from the refreshed set; a key no longer served does not.
    await expect(verifyToken(await idp.sign('rsa-1', staff), settings)).resolves.toEqual(staffClaims);
  });

  test('a key withdrawn from the key set stops verifying once the set is fetched again', async () => {
    const withdrawn = await idp.addKey('ES256', `ec-withdrawn-${randomUUID()}`);
    const settings = oidc();
    await expect(verifyToken(await idp.sign(withdrawn.kid, staff), settings)).resolves.toEqual(staffClaims);
    idp.serve(withdrawn.kid, false);
    clockForward(11 * 60_000); // past jose's cache age of 10 minutes
    await expectRefused(idp.sign(withdrawn.kid, staff), settings);
  });

  test('unknown kids: refused, and the key set is fetched again at most once per cooldown', async () => {
    const settings = oidc();
    await verifyToken(await idp.sign('rsa-1', staff), settings);
    const fetched = idp.requests('jwks');
    const unknown = await idp.addKey('RS256', `never-served-${randomUUID()}`, { served: false });
    for (let i = 0; i < 20; i++) await expectRefused(idp.sign(unknown.kid, { ...staff, sub: `forger-${i}` }), settings);
    expect(idp.requests('jwks')).toBe(fetched);
    clockForward(31_000);
    await Promise.all(Array.from({ length: 10 }, async () => expectRefused(idp.sign(unknown.kid, staff), settings)));
    expect(idp.requests('jwks')).toBe(fetched + 1);
  });

  test('a kid of the key set with another key\'s signature is refused', async () => {
    const other = await idp.addKey('RS256', `other-${randomUUID()}`, { served: false });
    const forged = await idp.sign(other.kid, staff, { header: { kid: 'rsa-1' } });
    await expectRefused(forged, oidc());
  });
});

describe('refused: wrong issuer, HS256 and key confusion against a key set', () => {
  test('a token whose iss is another issuer', async () => {
    await expectRefused(idp.sign('rsa-1', { ...staff, iss: 'https://login.example.org/realms/evil' }), oidc());
    await expectRefused(idp.sign('rsa-1', { ...staff, iss: `${idp.issuer}/` }), oidc());
  });

  test('a discovery document that names another issuer: no token verifies', async () => {
    const saved = idp.discovery;
    idp.discovery = { ...saved, issuer: 'https://login.example.org/realms/evil' };
    try {
      await expectRefused(idp.sign('rsa-1', staff), oidc());
    } finally {
      idp.discovery = saved;
    }
  });

  test('a failed discovery is tried again after the cooldown, not on every token', async () => {
    const saved = idp.discovery;
    const settings = oidc();
    const before = idp.requests('discovery');
    idp.discovery = { issuer: idp.issuer }; // no jwks_uri
    try {
      await expectRefused(idp.sign('rsa-1', staff), settings);
    } finally {
      idp.discovery = saved;
    }
    await expectRefused(idp.sign('rsa-1', staff), settings);
    expect(idp.requests('discovery')).toBe(before + 1);
    clockForward(31_000);
    await expect(verifyToken(await idp.sign('rsa-1', staff), settings)).resolves.toEqual(staffClaims);
    expect(idp.requests('discovery')).toBe(before + 2);
  });

  test('a token for another audience', async () => {
    await expectRefused(idp.sign('ed-1', staff, { audience: 'another-api' }), oidc());
  });

  test('an HS256 token signed with the development secret, presented to a key-set setup', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...staff, iss: idp.issuer, aud: 'mijande-api', iat: now, exp: now + 600 };
    await expectRefused(hmacToken(payload, DEVELOPMENT_JWT_SECRET), oidc());
    await expectRefused(hmacToken(payload, DEVELOPMENT_JWT_SECRET, 'HS256', { kid: 'rsa-1' }), oidc());
  });

  test('key confusion: HS256 with the public key\'s bytes as the HMAC secret is refused', async () => {
    const now = Math.floor(Date.now() / 1000);
    const payload = { ...staff, iss: idp.issuer, aud: 'mijande-api', iat: now, exp: now + 600 };
    for (const kid of ['rsa-1', 'ec-1', 'ed-1']) {
      const key = idp.key(kid);
      await expectRefused(hmacToken(payload, key.publicPem, 'HS256', { kid }), oidc());
      await expectRefused(hmacToken(payload, JSON.stringify(key.jwk), 'HS256', { kid }), oidc());
    }
  });

  test('alg none, with a kid of the key set', async () => {
    const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(`${b64({ alg: 'none', kid: 'rsa-1' })}.${b64({ ...staff, iss: idp.issuer, aud: 'mijande-api', exp: now + 600 })}.`, oidc());
  });

  test('a development token signed by signToken: the shared secret is not accepted at all', async () => {
    const dev = loadConfig({ NODE_ENV: 'test' }).jwt;
    const token = signToken(staffClaims, { ...dev, issuer: idp.issuer });
    await expectRefused(token, oidc());
    expect(() => signToken(staffClaims, oidc())).toThrow(/identity provider/);
  });
});

describe('the token rules hold for every algorithm', () => {
  const now = () => Math.floor(Date.now() / 1000);
  test.each(['rsa-1', 'ec-1', 'ed-1'])('%s: no exp, too long a life, iat in the future, nbf ahead, crit', async (kid) => {
    const settings = oidc({ JWT_MAX_LIFETIME: '1h' });
    await expect(verifyToken(await idp.sign(kid, { ...staff, exp: now() + 3600 }), settings)).resolves.toEqual(staffClaims);
    await expectRefused(idp.sign(kid, { ...staff, exp: undefined }), settings);
    await expectRefused(idp.sign(kid, { ...staff, exp: now() + 3601 }), settings);
    await expectRefused(idp.sign(kid, { ...staff, iat: now() + 120, exp: now() + 600 }), settings);
    await expectRefused(idp.sign(kid, { ...staff, nbf: now() + 60 }), settings);
    await expectRefused(idp.sign(kid, { ...staff, exp: now() - 60 }), settings);
    await expectRefused(idp.sign(kid, staff, { header: { crit: ['urn:example:ext'], 'urn:example:ext': true } }), settings);
  });
});

describe('claims mapped by JWT_ROLE_CLAIM, JWT_PURPOSES_CLAIM, JWT_ORG_CLAIM, JWT_TENANT_CLAIM', () => {
  const keycloak = () => oidc({
    JWT_ROLE_CLAIM: 'realm_access.roles',
    JWT_PURPOSES_CLAIM: 'mijande.purposes',
    JWT_ORG_CLAIM: 'mijande.orgId',
    JWT_TENANT_CLAIM: 'mijande.tenantId',
  });

  test('Keycloak: the one role of the API among realm_access.roles, the rest at dotted paths', async () => {
    const orgId = randomUUID();
    const tenantId = randomUUID();
    const roles = (role: string) => ({ realm_access: { roles: ['offline_access', 'uma_authorization', `default-roles-mijande`, role] } });
    await expect(verifyToken(await idp.sign('rsa-1', { sub: 'kc-1', ...roles('staff'), mijande: { purposes: ['ARREARS'] } }), keycloak()))
      .resolves.toEqual({ sub: 'kc-1', role: 'staff', purposes: ['ARREARS'] });
    await expect(verifyToken(await idp.sign('rsa-1', { sub: 'kc-2', ...roles('bailiff'), mijande: { orgId: [orgId] } }), keycloak()))
      .resolves.toEqual({ sub: 'kc-2', role: 'bailiff', orgId });
    await expect(verifyToken(await idp.sign('rsa-1', { sub: 'kc-3', ...roles('tenant'), mijande: { tenantId } }), keycloak()))
      .resolves.toEqual({ sub: 'kc-3', role: 'tenant', tenantId });
  });

  test('Entra ID: app roles in `roles`', async () => {
    const settings = oidc({ JWT_ROLE_CLAIM: 'roles' });
    const orgId = randomUUID();
    await expect(verifyToken(await idp.sign('ec-1', { sub: 'entra-1', roles: ['contractor'], orgId }), settings))
      .resolves.toEqual({ sub: 'entra-1', role: 'contractor', orgId });
  });

  test('refused: two of the API\'s roles, none, a claim at the default path only, more than one organisation', async () => {
    const orgId = randomUUID();
    const refuse = (payload: Record<string, unknown>) => expectRefused(idp.sign('rsa-1', { sub: 'kc-x', ...payload }), keycloak());
    await refuse({ realm_access: { roles: ['staff', 'tenant'] }, mijande: { purposes: ['ARREARS'], tenantId: randomUUID() } });
    await refuse({ realm_access: { roles: ['offline_access'] }, mijande: { purposes: ['ARREARS'] } });
    await refuse({ role: 'staff', purposes: ['ARREARS'] });
    await refuse({ realm_access: { roles: ['staff'] }, purposes: ['ARREARS'] });
    await refuse({ realm_access: { roles: ['contractor'] }, mijande: { orgId: [orgId, randomUUID()] } });
    await refuse({ realm_access: { roles: ['staff'] }, mijande: { purposes: ['ARREARS', 'EVERYTHING'] } });
    await refuse({ realm_access: { roles: ['staff'] }, mijande: { purposes: 'ARREARS' } });
  });

  test('a claim named with dots (a URI) is found whole before the path is walked', async () => {
    const settings = oidc({ JWT_ROLE_CLAIM: 'roles', JWT_ORG_CLAIM: 'http://schemas.mijande.nl/claims/orgId' });
    const orgId = randomUUID();
    await expect(verifyToken(await idp.sign('rsa-1', { sub: 'entra-2', roles: ['builder'], 'http://schemas.mijande.nl/claims/orgId': orgId }), settings))
      .resolves.toEqual({ sub: 'entra-2', role: 'builder', orgId });
  });

  test('signToken writes the claims where the paths say, so development tokens follow the mapping', async () => {
    const settings = jwtConfig({ JWT_ROLE_CLAIM: 'realm_access.roles', JWT_PURPOSES_CLAIM: 'mijande.purposes' });
    const token = signToken(staffClaims, settings);
    const payload = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
    expect(payload).toMatchObject({ realm_access: { roles: 'staff' }, mijande: { purposes: ['REPAIRS', 'PRIVACY'] } });
    await expect(verifyToken(token, settings)).resolves.toEqual(staffClaims);
  });

  test('a claim path is validated at start-up', () => {
    for (const JWT_ROLE_CLAIM of ['realm_access..roles', '.roles', 'roles.', 'a b']) {
      expect(() => jwtConfig({ JWT_ROLE_CLAIM })).toThrow(/JWT_ROLE_CLAIM/);
    }
    expect(jwtConfig({}).claims).toEqual({ role: 'role', purposes: 'purposes', orgId: 'orgId', tenantId: 'tenantId' });
    expect(jwtConfig({ JWT_TENANT_CLAIM: 'mijande.tenantId', JWT_ORG_CLAIM: 'org', JWT_PURPOSES_CLAIM: 'groups' }).claims)
      .toEqual({ role: 'role', purposes: 'groups', orgId: 'org', tenantId: 'mijande.tenantId' });
  });
});

describe('start-up: production and the shared secret', () => {
  const keys = { AUDIT_KEY: 'a'.repeat(32) };
  const production = { NODE_ENV: 'production', ...keys };
  const secret = 's'.repeat(32);

  test('production with an identity provider starts without a secret', () => {
    const entra = loadConfig({ ...production, OIDC_ISSUER: 'https://login.microsoftonline.com/0000/v2.0' }).jwt;
    expect(entra).toMatchObject({ issuer: 'https://login.microsoftonline.com/0000/v2.0', oidcIssuer: 'https://login.microsoftonline.com/0000/v2.0' });
    expect(entra.secret).toBeUndefined();
    expect(loadConfig({ ...production, JWT_JWKS_URL: 'https://idp.example.org/jwks', JWT_ISSUER: 'https://idp.example.org' }).jwt)
      .toMatchObject({ issuer: 'https://idp.example.org', jwksUrl: 'https://idp.example.org/jwks' });
  });

  test('production with JWT_SECRET alone is refused; JWT_ALLOW_SHARED_SECRET=true allows it', () => {
    expect(() => loadConfig({ ...production, JWT_SECRET: secret })).toThrow(/JWT_ALLOW_SHARED_SECRET/);
    expect(() => loadConfig({ ...production, JWT_SECRET: secret, JWT_ALLOW_SHARED_SECRET: 'false' })).toThrow(ConfigError);
    expect(loadConfig({ ...production, JWT_SECRET: secret, JWT_ALLOW_SHARED_SECRET: 'true' }).jwt.secret).toBe(secret);
    expect(() => loadConfig({ ...production, JWT_SECRET: 'short', JWT_ALLOW_SHARED_SECRET: 'true' })).toThrow(/32 bytes/);
    expect(() => loadConfig({ JWT_ALLOW_SHARED_SECRET: 'yes' })).toThrow(/JWT_ALLOW_SHARED_SECRET must be true or false/);
  });

  test('production with neither an identity provider nor an allowed secret: a clear error', () => {
    expect(() => loadConfig(production)).toThrow(/Production needs an identity provider: set OIDC_ISSUER or JWT_JWKS_URL/);
    expect(() => loadConfig({ ...production, JWT_ALLOW_SHARED_SECRET: 'true' })).toThrow(/JWT_SECRET must be set/);
  });

  test('an identity provider with JWT_SECRET, both key sources, or a disagreeing JWT_ISSUER is refused', () => {
    expect(() => jwtConfig({ OIDC_ISSUER: idp.issuer, JWT_SECRET: secret })).toThrow(/JWT_SECRET cannot be combined/);
    expect(() => jwtConfig({ JWT_JWKS_URL: idp.jwksUrl, JWT_SECRET: secret })).toThrow(/JWT_SECRET cannot be combined/);
    expect(() => jwtConfig({ OIDC_ISSUER: idp.issuer, JWT_JWKS_URL: idp.jwksUrl })).toThrow(/not both/);
    expect(() => jwtConfig({ OIDC_ISSUER: idp.issuer, JWT_ISSUER: 'mijande-auth' })).toThrow(/JWT_ISSUER/);
    expect(jwtConfig({ OIDC_ISSUER: idp.issuer, JWT_ISSUER: idp.issuer }).issuer).toBe(idp.issuer);
  });

  test('in production keys come over https, or http only to a loopback address', () => {
    expect(() => loadConfig({ ...production, OIDC_ISSUER: 'http://idp.example.org/realms/x' })).toThrow(/OIDC_ISSUER must be an https URL/);
    expect(() => loadConfig({ ...production, JWT_JWKS_URL: 'http://10.0.0.5/jwks' })).toThrow(/JWT_JWKS_URL must be an https URL/);
    expect(() => loadConfig({ ...production, OIDC_ISSUER: 'not a url' })).toThrow(/OIDC_ISSUER must be a URL/);
    expect(() => jwtConfig({ OIDC_ISSUER: 'ftp://idp.example.org' })).toThrow(/OIDC_ISSUER/);
    expect(loadConfig({ ...production, OIDC_ISSUER: idp.issuer }).jwt.issuer).toBe(idp.issuer);
    expect(jwtConfig({ OIDC_ISSUER: 'http://keycloak:8080/realms/mijande' }).issuer).toBe('http://keycloak:8080/realms/mijande');
  });
});
