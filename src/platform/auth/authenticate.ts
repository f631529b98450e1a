import { ForbiddenError, UnauthenticatedError } from '../errors';
import { isPurpose, PURPOSES } from './audiences';
import { Claims, JwtSettings, verifyToken, verifyTokenOnce } from './tokens';
import { ANONYMOUS, audienceOf, Viewer } from './viewer';

export interface RequestHeaders {
  authorization?: string;
  purpose?: string;
}

/**
 * The viewer of a request. No token: anonymous (public fields only). A token that does not verify:
 * UNAUTHENTICATED for the whole request. Staff: X-Purpose must be one of the token's purposes;
 * without it the employee reads nothing personal. A refused X-Purpose names the valid values or the
 * token's own purposes: nothing the caller does not already hold.
 */
export async function authenticate(headers: RequestHeaders, settings: JwtSettings, request?: object): Promise<Viewer> {
  const header = headers.authorization?.trim();
  if (!header) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw new UnauthenticatedError('Authorization must be "Bearer <token>"').withHttpStatus();
  let claims: Claims;
  try {
    claims = await (request ? verifyTokenOnce(request, match[1], settings) : verifyToken(match[1], settings));
  } catch (error) {
    throw (error as UnauthenticatedError).withHttpStatus();
  }
  const purposes = claims.purposes ?? [];
  const declared = headers.purpose?.trim() || undefined;
  if (declared !== undefined) {
    if (claims.role !== 'staff') throw new ForbiddenError('X-Purpose is for staff only').withHttpStatus();
    if (!isPurpose(declared)) throw new ForbiddenError(`X-Purpose must be one of ${PURPOSES.join(', ')}`).withHttpStatus();
    if (!purposes.includes(declared)) {
      throw new ForbiddenError(`The declared purpose is not one of this token's purposes: ${listOf(purposes)}`).withHttpStatus();
    }
  }
  const purpose = declared as Viewer['purpose'];
  return {
    sub: claims.sub,
    role: claims.role,
    tenantId: claims.tenantId,
    orgId: claims.orgId,
    purposes,
    purpose,
    audience: audienceOf(claims.role, purpose),
  };
}

/** A token's purposes for a message: `REPAIRS, PRIVACY`, or `none`. */
export function listOf(purposes: readonly string[]): string {
  return purposes.length ? purposes.join(', ') : 'none';
}
