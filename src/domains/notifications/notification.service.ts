import type { ScopedWriter } from '../../privacy/write/scoped-writer';
import { NotificationKind } from './notification.entity';

/** Puts a message in one tenant's inbox, in the caller's transaction. */
export async function notifyTenant(writer: ScopedWriter, tenantId: string, kind: NotificationKind, message: string): Promise<void> {
  await writer.insert('Notification', tenantId, { kind, message });
}
