import { recipientPurpose } from '../../privacy/policy/processing';
import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { RecipientKind } from '../disclosures/disclosure.entity';
import { recordDisclosure } from '../disclosures/disclosure.service';
import { bailiffHandoverMessage } from '../notifications/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { notifyTenant } from '../notifications/notification.service';
import { OrganizationKind } from '../organizations/organization.entity';
import { organizationOfKind } from '../organizations/organization.service';
import { disclosedFields } from '../../privacy/policy/disclosed-fields';
import { DatabaseTime, writeThenRead } from '../../privacy/write/scoped-writer';
import { ArrearsStatus } from './arrears-case.entity';

const HANDABLE: readonly ArrearsStatus[] = [ArrearsStatus.OPEN, ArrearsStatus.PAYMENT_PLAN];

/**
 * Staff ARREARS: hands a case that could not be solved with the tenant to a bailiff. That discloses
 * what the policy lets a bailiff read, and the tenant is told in the inbox (without the amount).
 */
export function handArrearsToBailiff(ctx: AppContext, caseId: string, bailiffId: string) {
  assertUuid(caseId, 'caseId');
  assertUuid(bailiffId, 'bailiffId');
  return writeThenRead(ctx, 'ArrearsCase', async (writer) => {
    const arrears = await writer.lock('ArrearsCase', caseId, ['status', 'tenantId']);
    if (!arrears) throw new NotFoundError('Arrears case');
    if (!HANDABLE.includes(arrears.status)) {
      throw new BadUserInputError(`An arrears case in status ${arrears.status} cannot be handed to a bailiff`, 'caseId');
    }
    const bailiff = await organizationOfKind(writer, bailiffId, OrganizationKind.BAILIFF, 'bailiffId');
    const { handedOverAt: at } = await writer.update('ArrearsCase', caseId, {
      status: ArrearsStatus.HANDED_TO_BAILIFF, bailiff: bailiff.id, handedOverAt: DatabaseTime.now,
    });
    const fields = disclosedFields('bailiff');
    await recordDisclosure(writer, {
      tenantId: arrears.tenantId, recipientKind: RecipientKind.BAILIFF, recipientOrgId: bailiff.id,
      recipientName: bailiff.name, purpose: recipientPurpose('bailiff'), fields,
    });
    await notifyTenant(writer, arrears.tenantId, NotificationKind.BAILIFF_HANDOVER, bailiffHandoverMessage(bailiff.name, fields, at));
    return caseId;
  });
}

/**
 * Staff ARREARS: closes a case. A case handed to a bailiff leaves the bailiff's row scope with its
 * status at once (the scope reads `HANDED_TO_BAILIFF`), and so do its tenant and lease.
 */
export function closeArrearsCase(ctx: AppContext, caseId: string) {
  assertUuid(caseId, 'caseId');
  return writeThenRead(ctx, 'ArrearsCase', async (writer) => {
    const arrears = await writer.lock('ArrearsCase', caseId, ['status']);
    if (!arrears) throw new NotFoundError('Arrears case');
    if (arrears.status === ArrearsStatus.CLOSED) throw new BadUserInputError('The arrears case is already closed', 'caseId');
    await writer.update('ArrearsCase', caseId, { status: ArrearsStatus.CLOSED, closedAt: DatabaseTime.now });
    return caseId;
  });
}
