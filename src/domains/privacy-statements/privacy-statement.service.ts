import { requiredText } from '../../platform/values/input';
import type { AppContext } from '../../privacy/context';
import { privacyStatementChangedMessage } from '../notifications/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { keptDataSubjectsWhere } from '../notifications/kept-data-subjects';
import { writerOf } from '../../privacy/write/scoped-writer';
import { PrivacyStatementVersion } from './privacy-statement.entity';
import type { PrivacyStatementInput } from './privacy-statement.input';

export const MAX_STATEMENT_LENGTH = 100_000;

/**
 * Staff PRIVACY: publishes the next version. A significant change puts a notice in the inbox of
 * everyone whose data is kept (tenants, home seekers, former tenants within retention), in one
 * set-based statement.
 */
export async function publishPrivacyStatement(ctx: AppContext, input: PrivacyStatementInput) {
  const text = requiredText(input.text, 'text', { max: MAX_STATEMENT_LENGTH });
  const version = await ctx.dataSource.transaction(async (m) => {
    // Versions are max+1: serialise publishers, readers are not blocked.
    await m.query(`LOCK TABLE privacy_statement_version IN EXCLUSIVE MODE`);
    const [{ version }] = await m.query(
      `INSERT INTO privacy_statement_version (version, significant, text)
       SELECT coalesce(max(version), 0) + 1, $1, $2 FROM privacy_statement_version RETURNING version`,
      [input.significant, text],
    );
    if (input.significant) {
      await writerOf(ctx, m).insertForTenants('Notification', keptDataSubjectsWhere(), {
        kind: NotificationKind.PRIVACY_STATEMENT_CHANGED, message: privacyStatementChangedMessage(version),
      });
    }
    return version as number;
  });
  // Public data about no person: read like the privacyStatement query does.
  return ctx.dataSource.getRepository(PrivacyStatementVersion).findOneBy({ version });
}
