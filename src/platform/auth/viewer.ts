import { Audience, Purpose, Role } from './audiences';

/** The verified caller of one request. */
export interface Viewer {
  /** `anonymous` when the request carried no token. */
  sub: string;
  role: Role | null;
  tenantId?: string;
  orgId?: string;
  /** Staff: the purposes the employee is authorised for. */
  purposes: readonly Purpose[];
  /** Staff: the purpose declared for this request (X-Purpose). */
  purpose?: Purpose;
  audience: Audience;
}

export const ANONYMOUS: Viewer = Object.freeze({ sub: 'anonymous', role: null, purposes: [], audience: 'public' });

export function audienceOf(role: Role, purpose?: Purpose): Audience {
  if (role !== 'staff') return role;
  return purpose ? `staff:${purpose}` : 'staff';
}
