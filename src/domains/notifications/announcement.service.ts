import { requiredText } from '../../platform/values/input';
import type { AppContext } from '../../privacy/context';
import { writerOf } from '../../privacy/write/scoped-writer';
import type { AnnouncementInput } from './announcement.input';
import { keptDataSubjectsWhere } from './kept-data-subjects';
import { announcementMessage } from './messages';
import { NotificationKind } from './notification.entity';

/**
 * Staff PRIVACY: announces a merger, a transfer of personal data or another statement coming to
 * apply to everyone whose data is kept, in one set-based statement in one transaction. Returns how
 * many were told.
 */
export async function announceToDataSubjects(ctx: AppContext, input: AnnouncementInput): Promise<number> {
  const party = requiredText(input.party, 'party', { max: 200 });
  const details = requiredText(input.details, 'details', { max: 5000 });
  const message = announcementMessage(input.subject, party, details);
  return ctx.dataSource.transaction((m) =>
    writerOf(ctx, m).insertForTenants('Notification', keptDataSubjectsWhere(), { kind: NotificationKind.ANNOUNCEMENT, message }));
}
