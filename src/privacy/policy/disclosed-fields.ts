/**
 * Which personal fields leave the corporation, derived from the policy: never a hand-written list.
 */
import type { OrganisationRole } from '../../platform/auth/audiences';
import { compiled } from './compiled';

/** Outside organisations that receive personal data through this API: the roles with an `orgId`. */
export type Recipient = OrganisationRole;

/**
 * Every personal field of Tenant, Dwelling, Lease, ArrearsCase and WorkOrder the recipient may read, as
 * `Type.field`: what a disclosure to that recipient hands over. A type the recipient has no row
 * scope on discloses nothing, whatever its field rules say.
 */
export function disclosedFields(audience: Recipient): string[] {
  return [...compiled.disclosed[audience]];
}

/** Every personal field the policy declares, as `Type.field`. */
export function personalFieldPaths(): string[] {
  return compiled.personal.map((f) => f.path);
}

/** Personal fields an erasure keeps while a lease runs (declared `leaseBound`), as `Type.field`. */
export function leaseBoundFields(): string[] {
  return compiled.leaseBound.map((f) => f.path);
}
