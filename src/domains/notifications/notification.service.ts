import type { EntityManager } from 'typeorm';
import { NotificationKind } from './notification.entity';

/** Puts a message in one tenant's inbox, in the caller's transaction. */
export async function notifyTenant(m: EntityManager, tenantId: string, kind: NotificationKind, message: string): Promise<void> {
  await m.query(`INSERT INTO notification (tenant_id, kind, message) VALUES ($1, $2, $3)`, [tenantId, kind, message]);
}
