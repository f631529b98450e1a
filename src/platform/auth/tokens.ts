import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isPurpose, isRole, Purpose, Role, ROLE_CLAIM } from './audiences';
import { UnauthenticatedError } from '../errors';
import { isUuid } from '../values/ids';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
  /** The longest a token may live, `exp` − `iat` (or − now without `iat`); DEFAULT_MAX_LIFETIME_SECONDS when absent. */
  maxLifetimeSeconds?: number;
}

/** Twelve hours: a working day's session. */
export const DEFAULT_MAX_LIFETIME_SECONDS = 12 * 3600;
/** How far the clocks of the identity provider and the API may differ (`exp`, `nbf`, `iat`). */
const CLOCK_SKEW_SECONDS = 5;

export interface Claims {
  sub: string;
  role: Role;
  tenantId?: string;
  orgId?: string;
  purposes?: Purpose[];
}

/**
 * The HMAC key as a KeyObject, made once per secret: given a string, jsonwebtoken first tries to
 * read it as a PEM public key on every call, which costs more than the signature check itself.
 */
const keys = new Map<string, KeyObject>();
function hmacKey(secret: string): KeyObject {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = createSecretKey(Buffer.from(secret, 'utf8'))));
  return key;
}

export function signToken(claims: Claims, settings: JwtSettings, expiresInSeconds = 3600): string {
  const { sub, ...rest } = claims;
  return jwt.sign(rest, hmacKey(settings.secret), {
    algorithm: 'HS256',
    subject: sub,
    issuer: settings.issuer,
    audience: settings.audience,
    expiresIn: expiresInSeconds,
  });
}

/**
 * Verifies signature (HS256 only: `alg: none` and other algorithms are refused), expiry, not-before,
 * issuer and audience, then the claims the policy depends on. A token must carry `exp` and live at
 * most the configured maximum; a `crit` header names extensions this API does not implement, so it
 * is refused (RFC 7515 §4.1.11). Any failure is UNAUTHENTICATED without detail.
 */
export function verifyToken(token: string, settings: JwtSettings): Claims {
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, hmacKey(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: CLOCK_SKEW_SECONDS,
      complete: true,
    });
    if (typeof decoded.payload === 'string') throw new Error('not a JSON payload');
    if ('crit' in decoded.header) throw new Error('critical header extensions are not understood');
    payload = decoded.payload;
    if (!withinLifetime(payload, settings.maxLifetimeSeconds ?? DEFAULT_MAX_LIFETIME_SECONDS)) throw new Error('lifetime');
  } catch {
    throw new UnauthenticatedError('The bearer token is invalid or expired');
  }
  return claimsOf(payload);
}

/** `exp` is present and no further from `iat` (or from now, without `iat`) than the maximum; `iat` is not in the future. */
function withinLifetime(p: jwt.JwtPayload, maxSeconds: number): boolean {
  const now = Math.floor(Date.now() / 1000);
  if (typeof p.exp !== 'number' || !Number.isFinite(p.exp)) return false;
  if (p.iat !== undefined && (typeof p.iat !== 'number' || p.iat > now + CLOCK_SKEW_SECONDS)) return false;
  const issuedAt = typeof p.iat === 'number' ? p.iat : now;
  return p.exp - issuedAt <= maxSeconds;
}

function claimsOf(p: jwt.JwtPayload): Claims {
  const invalid = () => new UnauthenticatedError('The bearer token lacks the claims its role needs');
  if (typeof p.sub !== 'string' || !p.sub || !isRole(p.role)) throw invalid();
  const claims: Claims = { sub: p.sub, role: p.role };
  // The claim the role needs is the one audiences.ts names for it (ROLE_CLAIM).
  switch (ROLE_CLAIM[p.role]) {
    case 'tenantId':
      if (!isUuid(p.tenantId)) throw invalid();
      claims.tenantId = p.tenantId;
      break;
    case 'purposes':
      if (!Array.isArray(p.purposes) || !p.purposes.every(isPurpose)) throw invalid();
      claims.purposes = p.purposes;
      break;
    case 'orgId':
      if (!isUuid(p.orgId)) throw invalid();
      claims.orgId = p.orgId;
      break;
  }
  return claims;
}

const verifiedPerRequest = new WeakMap<object, { token: string; result: Claims | UnauthenticatedError }>();

/**
 * `verifyToken`, once per request: the rate limiter and the authentication both need the claims,
 * and the second asks the same request for the same token.
 */
export function verifyTokenOnce(request: object, token: string, settings: JwtSettings): Claims {
  let seen = verifiedPerRequest.get(request);
  if (!seen || seen.token !== token) {
    let result: Claims | UnauthenticatedError;
    try {
      result = verifyToken(token, settings);
    } catch (error) {
      result = error as UnauthenticatedError;
    }
    verifiedPerRequest.set(request, (seen = { token, result }));
  }
  if (seen.result instanceof Error) throw seen.result;
  return seen.result;
}
