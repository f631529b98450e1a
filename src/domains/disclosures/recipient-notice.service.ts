import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { COPY_HOLDING_KINDS } from '../../privacy/policy/processing';
import { DatabaseTime, type ScopedWriter, writeThenRead } from '../../privacy/write/scoped-writer';
import type { RecipientNoticeAction } from './recipient-notice.entity';

/**
 * Art. 19: records, in the caller's transaction, one notice for each recipient that holds a copy of
 * the tenant's data (the recipients the register marks `holdsCopy`, as the disclosures name them),
 * telling it of the rectification, erasure or restriction carried out. Withheld disclosures count:
 * the recipient holds the copy whether or not the tenant may know. Run before an erasure masks the
 * disclosures. Returns how many notices it recorded.
 */
export async function recordRecipientNotices(
  writer: ScopedWriter, tenantId: string, action: RecipientNoticeAction, requestId: string | null,
): Promise<number> {
  // One notice per recipient, on its latest disclosure (which names it and what it received).
  const held: { id: string }[] = await writer.lookup(
    `SELECT DISTINCT ON (recipient_kind, recipient_org_id, recipient_name) id FROM disclosure
     WHERE tenant_id = $1 AND recipient_kind = ANY($2)
     ORDER BY recipient_kind, recipient_org_id, recipient_name, disclosed_at DESC, id`,
    [tenantId, [...COPY_HOLDING_KINDS]],
  );
  for (const { id } of held) await writer.insert('RecipientNotice', tenantId, { action, disclosure: id, request: requestId ?? undefined });
  return held.length;
}

/** Staff PRIVACY: the notice was sent to its recipient; it leaves the list of notices to send. */
export function markRecipientNoticeSent(ctx: AppContext, id: string) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'RecipientNotice', async (writer) => {
    const notice = await writer.lock('RecipientNotice', id, ['sentAt']);
    if (!notice) throw new NotFoundError('Recipient notice');
    if (notice.sentAt) throw new BadUserInputError('The notice is already marked sent', 'id');
    await writer.update('RecipientNotice', id, { sentAt: DatabaseTime.now });
    return id;
  });
}
