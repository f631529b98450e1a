import { createHmac, createSecretKey, KeyObject } from 'node:crypto';
import { createRemoteJWKSet, decodeProtectedHeader, errors, JWTPayload, jwtVerify, JWTVerifyGetKey } from 'jose';
import { isPurpose, isRole, Purpose, Role, ROLE_CLAIM } from './audiences';
import { UnauthenticatedError } from '../errors';
import { currentLogger, errorFields } from '../logging/logger';
import { isUuid } from '../values/ids';

/** Where in a token's payload each claim the API needs is found: a dotted path (`realm_access.roles`). */
export interface ClaimPaths {
  role: string;
  purposes: string;
  orgId: string;
  tenantId: string;
}

export const DEFAULT_CLAIM_PATHS: ClaimPaths = { role: 'role', purposes: 'purposes', orgId: 'orgId', tenantId: 'tenantId' };

export interface JwtSettings {
  /** The HS256 key. Only without an identity provider: with `oidcIssuer` or `jwksUrl` no HS256 token verifies. */
  secret?: string;
  /** The expected `iss`; with `oidcIssuer`, the same value. */
  issuer: string;
  audience: string;
  /** The longest a token may live, `exp` − `iat` (or − now without `iat`); DEFAULT_MAX_LIFETIME_SECONDS when absent. */
  maxLifetimeSeconds?: number;
  /** The identity provider's issuer: its discovery document names the key set (`jwks_uri`). */
  oidcIssuer?: string;
  /** The identity provider's key set, without discovery. */
  jwksUrl?: string;
  /** DEFAULT_CLAIM_PATHS when absent. */
  claims?: ClaimPaths;
  /**
   * After the key set is fetched, how long a token with an unknown `kid` waits for another fetch
   * (30 s when absent): a stream of forged `kid`s costs the identity provider one request per period.
   */
  keyRefetchCooldownMs?: number;
}

/** Twelve hours: a working day's session. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600;
/** How far the clocks of the identity provider and the API may differ (`exp`, `nbf`, `iat`). */
const CLOCK_SKEW_SECONDS = 5;
/** The algorithms accepted with an identity provider's keys. HS256 is not among them: a JWKS holds public keys, and an HMAC "signed" with one proves nothing. */
export const KEY_SET_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'];
const DEFAULT_KEY_REFETCH_COOLDOWN_MS = 30_000;
const FETCH_TIMEOUT_MS = 5_000;

export interface Claims {
  sub: string;
  role: Role;
  tenantId?: string;
  orgId?: string;
  purposes?: Purpose[];
}

/** Whether tokens come from an identity provider's keys rather than the shared secret. */
export function usesKeySet(settings: JwtSettings): boolean {
  return Boolean(settings.oidcIssuer || settings.jwksUrl);
}

/** The HMAC key as a KeyObject, made once per secret rather than on every verification. */
const keys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

/**
 * An HS256 token with the shared secret, for development, tests and `npm run token`. Written by
 * hand on node:crypto because jose signs only asynchronously, and test helpers and scripts sign in
 * plain expressions; an HS256 JWS is one HMAC over two base64url segments. Verification is jose's.
 * The role's claims go where the claim paths say, so a token verifies under the same settings.
 */
export function signToken(claims: Claims, settings: JwtSettings, expiresInSeconds = 3600): string {
  if (!settings.secret || usesKeySet(settings)) {
    throw new Error('Tokens come from the identity provider (OIDC_ISSUER or JWT_JWKS_URL): there is no shared secret to sign with');
  }
  const paths = settings.claims ?? DEFAULT_CLAIM_PATHS;
  const now = Math.floor(Date.now() / 1000);
  const payload: Record<string, unknown> = { sub: claims.sub, iat: now, exp: now + expiresInSeconds, iss: settings.issuer, aud: settings.audience };
  setAt(payload, paths.role, claims.role);
  if (claims.tenantId !== undefined) setAt(payload, paths.tenantId, claims.tenantId);
  if (claims.orgId !== undefined) setAt(payload, paths.orgId, claims.orgId);
  if (claims.purposes !== undefined) setAt(payload, paths.purposes, claims.purposes);
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64(payload)}`;
  return `${signingInput}.${createHmac('sha256', hmacKey(settings.secret)).update(signingInput).digest('base64url')}`;
}

/**
 * Verifies signature, expiry, not-before, issuer and audience (jose), then the claims the policy
 * depends on. With an identity provider: RS256, ES256 or EdDSA under a key of its key set; without
 * one: HS256 under the shared secret. `alg: none` and every other algorithm are refused. A token
 * must carry `exp` and live at most the configured maximum; a `crit` header names extensions this
 * API does not implement, so it is refused (RFC 7515 §4.1.11). Any failure is UNAUTHENTICATED
 * without detail; the reason goes to the debug log.
 */
export async function verifyToken(token: string, settings: JwtSettings): Promise<Claims> {
  let payload: JWTPayload;
  try {
    const header = decodeProtectedHeader(token);
    if ('crit' in header) throw new Error('critical header extensions are not understood');
    const keySet = usesKeySet(settings);
    const checks = { issuer: settings.issuer, audience: settings.audience, clockTolerance: CLOCK_SKEW_SECONDS, requiredClaims: ['exp'] };
    if (keySet) ({ payload } = await jwtVerify(token, keySetOf(settings), { ...checks, algorithms: KEY_SET_ALGORITHMS }));
    else if (settings.secret) ({ payload } = await jwtVerify(token, hmacKey(settings.secret), { ...checks, algorithms: ['HS256'] }));
    else throw new Error('no key to verify with');
    if (!withinLifetime(payload, settings.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS)) throw new Error('lifetime');
  } catch (error) {
    reportRefusal(error);
    throw new UnauthenticatedError('The bearer token is invalid or expired');
  }
  return claimsOf(payload, settings.claims ?? DEFAULT_CLAIM_PATHS);
}

/** A key set that cannot be had is the operator's to fix, so it is a warning; anything else is the token's fault, a debug line. */
function reportRefusal(error: unknown): void {
  if (error instanceof KeySetUnavailable) currentLogger().warn(errorFields(error), 'identity provider keys unavailable');
  else currentLogger().debug(errorFields(error), 'bearer token refused');
}

/** Discovery or the key set failed (unreachable, timed out, not a key set): not the token's fault. */
class KeySetUnavailable extends Error {
  override name = 'KeySetUnavailable';
}

/** `exp` is present and no further from `iat` (or from now, without `iat`) than the maximum; `iat` is not in the future. */
function withinLifetime(p: JWTPayload, maxSeconds: number): boolean {
  const now = Math.floor(Date.now() / 1000);
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) return false;
  if (p.iat !== undefined && (typeof p.iat !== 'number' || p.iat > now + CLOCK_SKEW_SECONDS)) return false;
  const issuedAt = typeof p.iat === 'number' ? p.iat : now;
  return p.exp - issuedAt <= maxSeconds;
}

/**
 * One key set per settings object (the process's `config.jwt`), so the rate limiter and the
 * authentication share its cache. jose's remote key set caches the keys, fetches again when a token
 * names a `kid` it lacks (keys rotated at the identity provider) and not sooner than the cooldown
 * after the last fetch.
 */
const keySets = new WeakMap<JwtSettings, JWTVerifyGetKey>();

function keySetOf(settings: JwtSettings): JWTVerifyGetKey {
  let getKey = keySets.get(settings);
  if (!getKey) keySets.set(settings, (getKey = remoteKeySet(settings)));
  return getKey;
}

function remoteKeySet(settings: JwtSettings): JWTVerifyGetKey {
  const cooldownDuration = settings.keyRefetchCooldownMs ?? DEFAULT_KEY_REFETCH_COOLDOWN_MS;
  const open = async () => {
    const url = settings.jwksUrl ? new URL(settings.jwksUrl) : await discoverKeySet(settings.oidcIssuer!);
    return createRemoteJWKSet(url, { cooldownDuration, timeoutDuration: FETCH_TIMEOUT_MS });
  };
  // Discovery runs on the first token, not at start-up, so the API starts while the identity
  // provider is down; a failed discovery is tried again after the cooldown, not on every request.
  let opened: { at: number; failed: boolean; set: Promise<JWTVerifyGetKey> } | undefined;
  return async (header, token) => {
    if (!opened || (opened.failed && Date.now() - opened.at >= cooldownDuration)) {
      const attempt = { at: Date.now(), failed: false, set: open() };
      attempt.set.catch(() => (attempt.failed = true));
      opened = attempt;
    }
    try {
      return await (await opened.set)(header, token);
    } catch (error) {
      // No key for the token's `kid` (or several): the token's fault. Anything else is the key set's.
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys || error instanceof KeySetUnavailable) throw error;
      throw new KeySetUnavailable(`the key set could not be used: ${(error as Error).message}`);
    }
  };
}

/**
 * The key set of an OpenID Connect issuer: `jwks_uri` from `<issuer>/.well-known/openid-configuration`.
 * The document must name the same issuer (OpenID Connect Discovery §4.3), and an https issuer must
 * not send the keys over plain http.
 */
async function discoverKeySet(issuer: string): Promise<URL> {
  const location = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let document: { issuer?: unknown; jwks_uri?: unknown };
  try {
    const response = await fetch(location, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS), redirect: 'error' });
    if (!response.ok) throw new Error(`status ${response.status}`);
    document = (await response.json()) as typeof document;
  } catch (error) {
    throw new KeySetUnavailable(`OIDC discovery at ${location} failed: ${(error as Error).message}`);
  }
  if (document?.issuer !== issuer) throw new KeySetUnavailable(`the discovery document at ${location} names another issuer`);
  if (typeof document.jwks_uri !== 'string') throw new KeySetUnavailable(`the discovery document at ${location} has no jwks_uri`);
  const jwks = new URL(document.jwks_uri);
  if (new URL(issuer).protocol === 'https:' && jwks.protocol !== 'https:') {
    throw new KeySetUnavailable(`the discovery document at ${location} names a key set outside https`);
  }
  return jwks;
}

/**
 * The value at a dotted path of the payload. A claim whose own name holds dots (Entra ID's claims
 * named by URI, `http://schemas.example.org/claims/role`) is taken whole first. Only own
 * properties are read, so a path never reaches into a prototype.
 */
export function claimAt(payload: unknown, path: string): unknown {
  if (payload !== null && typeof payload === 'object' && Object.hasOwn(payload, path)) return (payload as Record<string, unknown>)[path];
  let value = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function setAt(payload: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let target = payload;
  for (const part of parts.slice(0, -1)) {
    const next = target[part];
    target = (next !== null && typeof next === 'object' && !Array.isArray(next) ? next : (target[part] = {})) as Record<string, unknown>;
  }
  target[parts[parts.length - 1]] = value;
}

/**
 * The role in the role claim: a string, or a list in which exactly one entry is a role of this API
 * (an identity provider lists all of a user's roles, Keycloak its own such as `offline_access`
 * too). Two of this API's roles are refused: each sees other rows, and which one the caller acts
 * in is not the API's to guess; such a person signs in with a separate account per role.
 */
function roleOf(value: unknown): Role | undefined {
  if (isRole(value)) return value;
  if (!Array.isArray(value)) return undefined;
  const known = [...new Set(value.filter(isRole))];
  return known.length === 1 ? known[0] : undefined;
}

/** A single value: itself, or a list holding exactly that one (identity providers emit multivalued attributes as lists). */
function single(value: unknown): unknown {
  return Array.isArray(value) ? (value.length === 1 ? value[0] : undefined) : value;
}

function claimsOf(p: JWTPayload, paths: ClaimPaths): Claims {
  const invalid = () => new UnauthenticatedError('The bearer token lacks the claims its role needs');
  const role = roleOf(claimAt(p, paths.role));
  if (typeof p.sub !== 'string' || !p.sub || !role) throw invalid();
  const claims: Claims = { sub: p.sub, role };
  // The claim the role needs is the one audiences.ts names for it (ROLE_CLAIM).
  switch (ROLE_CLAIM[role]) {
    case 'tenantId': {
      const tenantId = single(claimAt(p, paths.tenantId));
      if (!isUuid(tenantId)) throw invalid();
      claims.tenantId = tenantId;
      break;
    }
    case 'purposes': {
      const purposes = claimAt(p, paths.purposes);
      if (!Array.isArray(purposes) || !purposes.every(isPurpose)) throw invalid();
      claims.purposes = [...new Set(purposes)];
      break;
    }
    case 'orgId': {
      const orgId = single(claimAt(p, paths.orgId));
      if (!isUuid(orgId)) throw invalid();
      claims.orgId = orgId;
      break;
    }
  }
  return claims;
}

const verifiedPerRequest = new WeakMap<object, { token: string; result: Promise<Claims> }>();

/**
 * `verifyToken`, once per request: the rate limiter and the authentication both need the claims,
 * and the second asks the same request for the same token; it gets the first one's promise.
 */
export function verifyTokenOnce(request: object, token: string, settings: JwtSettings): Promise<Claims> {
  let seen = verifiedPerRequest.get(request);
  if (!seen || seen.token !== token) {
    const result = verifyToken(token, settings);
    // Whoever asks later gets the refusal; until then it is not an unhandled rejection.
    result.catch(() => undefined);
    verifiedPerRequest.set(request, (seen = { token, result }));
  }
  return seen.result;
}
