import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { DatabaseTime, writeThenRead } from '../../privacy/write/scoped-writer';

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
