/**
 * Who asks: a role, and for staff the purpose declared in X-Purpose. The roles are listed here once;
 * everything that depends on them (token claims, the policy, the documentation's columns) derives
 * from this list or is a `Record<Role, …>` the compiler asks to complete.
 */
/** Per role, the claim that says which rows are the caller's: its tenant, its purposes, its organisation. */
export const ROLE_CLAIM = {
  tenant: 'tenantId',
  staff: 'purposes',
  contractor: 'orgId',
  builder: 'orgId',
  bailiff: 'orgId',
} as const satisfies Record<string, 'tenantId' | 'purposes' | 'orgId'>;

export type Role = keyof typeof ROLE_CLAIM;
export const ROLES = Object.keys(ROLE_CLAIM) as readonly Role[];

/** Roles of people working for an outside organisation (`orgId`): the recipients of disclosed data. */
export type OrganisationRole = { [R in Role]: (typeof ROLE_CLAIM)[R] extends 'orgId' ? R : never }[Role];
export const ORGANISATION_ROLES = ROLES.filter((r): r is OrganisationRole => ROLE_CLAIM[r] === 'orgId');

export const PURPOSES = ['REPAIRS', 'CONTRACT', 'LETTING', 'RENT_COLLECTION', 'ARREARS', 'NUISANCE', 'PRIVACY'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type StaffAudience = `staff:${Purpose}`;
/**
 * The unit the policy grants to. `staff` alone is a staff member who declared no purpose:
 * it reads nothing personal. `public` is a request without a token.
 */
export type Audience = 'public' | Role | StaffAudience;

export const STAFF_AUDIENCES: readonly StaffAudience[] = PURPOSES.map((p) => `staff:${p}` as const);
export const ALL_AUDIENCES: readonly Audience[] = ['public', ...ROLES.filter((r) => r !== 'staff'), 'staff', ...STAFF_AUDIENCES];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function staff(...purposes: Purpose[]): StaffAudience[] {
  return purposes.map((p) => `staff:${p}` as const);
}
