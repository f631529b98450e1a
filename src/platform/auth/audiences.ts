/** Who asks: a role, and for staff the purpose declared in X-Purpose. */
export const ROLES = ['tenant', 'staff', 'contractor', 'builder', 'bailiff'] as const;
export type Role = (typeof ROLES)[number];

export const PURPOSES = ['REPAIRS', 'CONTRACT', 'LETTING', 'RENT_COLLECTION', 'ARREARS', 'NUISANCE', 'PRIVACY'] as const;
export type Purpose = (typeof PURPOSES)[number];

export type StaffAudience = `staff:${Purpose}`;
/**
 * The unit the policy grants to. `staff` alone is a staff member who declared no purpose:
 * it reads nothing personal. `public` is a request without a token.
 */
export type Audience = 'public' | 'tenant' | 'contractor' | 'builder' | 'bailiff' | 'staff' | StaffAudience;

export const STAFF_AUDIENCES: readonly StaffAudience[] = PURPOSES.map((p) => `staff:${p}` as const);
export const ALL_AUDIENCES: readonly Audience[] = ['public', 'tenant', 'contractor', 'builder', 'bailiff', 'staff', ...STAFF_AUDIENCES];

export function isPurpose(value: unknown): value is Purpose {
  return typeof value === 'string' && (PURPOSES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function staff(...purposes: Purpose[]): StaffAudience[] {
  return purposes.map((p) => `staff:${p}` as const);
}
