import type { Viewer } from './auth/viewer';
import type { ScopedReader } from './privacy/scoped-reader';
import type { DataSource } from 'typeorm';
import type { AuditTrail } from './audit/audit-trail';

/** Per request: who asks, and the only door to the data. */
export interface AppContext {
  viewer: Viewer;
  reader: ScopedReader;
  dataSource: DataSource;
  requestId: string;
  /** Personal fields this request has read, written to the audit log before the response leaves. */
  audit: AuditTrail;
}
