import type { AuditTrail } from '../audit/audit-trail';
import type { Viewer } from '../auth/viewer';

/** What the platform needs of a GraphQL request's context: who asks, the request's id, its audit trail. */
export interface RequestContext {
  viewer: Viewer;
  requestId: string;
  /** Personal fields this request has read, written to the audit log before the response leaves. */
  audit: AuditTrail;
}
