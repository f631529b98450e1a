import type { AppContext } from '../../privacy/context';
import { DatabaseTime, type ScopedWriter, writeThenRead } from '../../privacy/write/scoped-writer';
import { ConsentKind } from './consent-record.entity';
import { lockOwnTenant } from './tenant.service';

/** The tenant's consent in force, if any. */
async function consentInForce(writer: ScopedWriter, tenantId: string, kind: ConsentKind): Promise<string | undefined> {
  const [row] = await writer.lookup(
    `SELECT id FROM consent_record WHERE tenant_id = $1 AND kind = $2 AND withdrawn_at IS NULL FOR UPDATE`, [tenantId, kind]);
  return row?.id;
}

/**
 * Withdraws every consent of the tenant in force (art. 7(3)), in the caller's transaction: the
 * record keeps when it was given and now when it was withdrawn. Returns how many.
 */
export async function withdrawConsents(writer: ScopedWriter, tenantId: string): Promise<number> {
  const rows = await writer.lookup(`SELECT id FROM consent_record WHERE tenant_id = $1 AND withdrawn_at IS NULL FOR UPDATE`, [tenantId]);
  for (const { id } of rows) await writer.update('ConsentRecord', id, { withdrawnAt: DatabaseTime.now });
  return rows.length;
}

/**
 * Tenant: gives or withdraws consent to analytics cookies. Giving records the time and the privacy
 * statement version in force; withdrawing records its time. Asking for what is already the case
 * changes nothing (a double tap is not a second consent).
 */
export function setAnalyticsConsent(ctx: AppContext, granted: boolean) {
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    writer.assertWritable('ConsentRecord', granted ? ['kind', 'givenAt', 'statementVersion'] : ['withdrawnAt']);
    const tenantId = await lockOwnTenant(writer);
    const inForce = await consentInForce(writer, tenantId, ConsentKind.ANALYTICS_COOKIES);
    if (granted && !inForce) {
      const [{ version }] = await writer.lookup(`SELECT max(version) AS version FROM privacy_statement_version`);
      await writer.insert('ConsentRecord', tenantId, {
        kind: ConsentKind.ANALYTICS_COOKIES, givenAt: DatabaseTime.now, statementVersion: version ?? null,
      });
    } else if (!granted && inForce) {
      await writer.update('ConsentRecord', inForce, { withdrawnAt: DatabaseTime.now });
    }
    return tenantId;
  });
}
