import { auditSlot, type AuditTrail } from '../../platform/audit/audit-trail';
import { declaredField, grantOf } from '../policy/access';

/**
 * For a value that leaves without passing a field's guard (an export assembled from rows, an
 * amount handed back by a payment): records the personal fields of a scoped row that the response
 * carries, with the row's subject, in the request's audit trail, as the guard does for a field it
 * resolves. A row without a grant did not come from the scoped reader: it is refused, not recorded.
 */
export function recordPersonalReads(trail: AuditTrail, row: object, fields: readonly string[]): void {
  const grant = grantOf(row);
  if (!grant) throw new Error('recordPersonalReads needs a row from the scoped reader');
  for (const field of fields) {
    if (declaredField(grant.type, field)?.personal) trail.record(auditSlot(`${grant.type}.${field}`), grant.subject);
  }
}
