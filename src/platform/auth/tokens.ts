import { createSecretKey, KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { isPurpose, isRole, Purpose, Role, ROLE_CLAIM } from './audiences';
import { UnauthenticatedError } from '../errors';
import { isUuid } from '../values/ids';

export interface JwtSettings {
  secret: string;
  issuer: string;
  audience: string;
}

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
 * Verifies signature (HS256 only: `alg: none` and other algorithms are refused), expiry, issuer and
 * audience, then the claims the policy depends on. Any failure is UNAUTHENTICATED without detail.
 */
export function verifyToken(token: string, settings: JwtSettings): Claims {
  let payload: jwt.JwtPayload;
  try {
    const decoded = jwt.verify(token, hmacKey(settings.secret), {
      algorithms: ['HS256'],
      issuer: settings.issuer,
      audience: settings.audience,
      clockTolerance: 5,
    });
    if (typeof decoded === 'string') throw new Error('not a JSON payload');
    payload = decoded;
  } catch {
    throw new UnauthenticatedError('The bearer token is invalid or expired');
  }
  return claimsOf(payload);
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
