/**
 * Which personal fields leave the corporation, derived from the policy: never a hand-written list.
 */
import { policy } from './policy';
import { STRUCTURAL } from './policy-types';
import { tableRule } from './access';

/** Outside organisations that receive personal data through this API. */
export type Recipient = 'contractor' | 'bailiff' | 'builder';

/** The types whose rows an outside organisation can reach about a tenant. */
const DISCLOSED_TYPES = ['Tenant', 'Dwelling', 'Lease', 'ArrearsCase', 'WorkOrder'] as const;

/**
 * Every personal field of Tenant, Dwelling, Lease, ArrearsCase and WorkOrder the recipient may read, as
 * `Type.field`: what a disclosure to that recipient hands over. A type the recipient has no row
 * scope on discloses nothing, whatever its field rules say.
 */
export function disclosedFields(audience: Recipient): string[] {
  return DISCLOSED_TYPES.flatMap((type) => {
    const rule = tableRule(type);
    if (!rule.scopes?.[audience]) return [];
    return Object.entries(rule.fields)
      .filter(([, f]) => f.personal && f.readers.includes(audience))
      .map(([field]) => `${type}.${field}`);
  });
}

/** Every personal field the policy declares, as `Type.field`. */
export function personalFieldPaths(): string[] {
  return Object.entries(policy.types).flatMap(([type, rule]) =>
    rule === STRUCTURAL ? [] : Object.entries(rule.fields).filter(([, f]) => f.personal).map(([field]) => `${type}.${field}`),
  );
}

/** Personal fields an erasure keeps while a lease runs (declared `leaseBound`), as `Type.field`. */
export function leaseBoundFields(): string[] {
  return Object.entries(policy.types).flatMap(([type, rule]) =>
    rule === STRUCTURAL ? [] : Object.entries(rule.fields).filter(([, f]) => f.personal?.leaseBound).map(([field]) => `${type}.${field}`),
  );
}
