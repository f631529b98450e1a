import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import { requiredText } from '../../platform/values/input';
import type { AppContext } from '../../privacy/context';
import { legalDisclosureMessage, releasedDisclosureMessage } from '../notifications/messages';
import { NotificationKind } from '../notifications/notification.entity';
import { notifyTenant } from '../notifications/notification.service';
import { personalFieldPaths } from '../../privacy/policy/disclosed-fields';
import { DatabaseTime, writeThenRead } from '../../privacy/write/scoped-writer';
import { RecipientKind } from './disclosure.entity';
import { recordDisclosure } from './disclosure.service';
import { authorityNamed } from '../organizations/organization.service';
import type { LegalDisclosureInput } from './legal-disclosure.input';

export const LEGAL_OBLIGATION = 'LEGAL_OBLIGATION';

interface ValidLegalDisclosure {
  tenantId: string;
  authority: string | null;
  recipientName: string;
  legalBasis: string;
  fields: string[];
  withheldReason: string | null;
}

function validLegalDisclosure(input: LegalDisclosureInput): ValidLegalDisclosure {
  const tenantId = assertUuid(input.tenantId, 'tenantId');
  const authority = input.authority == null ? null : requiredText(input.authority, 'authority', { max: 200 });
  const recipientName = requiredText(input.recipientName, 'recipientName', { max: 200 });
  const legalBasis = requiredText(input.legalBasis, 'legalBasis', { max: 1000 });
  const known = new Set(personalFieldPaths());
  const fields = [...new Set(input.fields)];
  if (!fields.length) throw new BadUserInputError('fields must name at least one field', 'fields');
  if (!fields.every((f) => known.has(f))) throw new BadUserInputError('fields must each name a personal field of the policy, e.g. Tenant.email', 'fields');
  let withheldReason: string | null = null;
  if (input.withheld) withheldReason = requiredText(input.withheldReason, 'withheldReason', { max: 2000 });
  else if (input.withheldReason != null) throw new BadUserInputError('withheldReason is only given when withheld is true', 'withheldReason');
  return { tenantId, authority, recipientName, legalBasis, fields, withheldReason };
}

/** Staff PRIVACY: records a disclosure under legal obligation; notifies the tenant unless withheld. */
export function recordLegalDisclosure(ctx: AppContext, input: LegalDisclosureInput) {
  const d = validLegalDisclosure(input);
  return writeThenRead(ctx, 'Disclosure', async (writer) => {
    if (!(await writer.lock('Tenant', d.tenantId))) {
      throw new BadUserInputError('tenantId does not name a tenant', 'tenantId');
    }
    const recipientOrgId = d.authority === null ? null : await authorityNamed(writer, d.authority);
    const id = await recordDisclosure(writer, {
      tenantId: d.tenantId, recipientKind: RecipientKind.AUTHORITY, recipientOrgId, recipientName: d.recipientName,
      purpose: LEGAL_OBLIGATION, fields: d.fields, withheldReason: d.withheldReason,
    });
    if (!d.withheldReason) {
      await notifyTenant(writer, d.tenantId, NotificationKind.LEGAL_DISCLOSURE, legalDisclosureMessage(d.recipientName, d.legalBasis, d.fields, new Date()));
    }
    return id;
  });
}

/**
 * Staff PRIVACY: the legal reason for withholding a disclosure has ended. The tenant then sees it
 * (the tenant's row scope leaves out withheld ones) and is told in the inbox, in one transaction.
 * The reason stays on record for the privacy officer.
 */
export function releaseWithheldDisclosure(ctx: AppContext, id: string) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'Disclosure', async (writer) => {
    const d = await writer.lock('Disclosure', id, ['withheld', 'tenantId', 'recipientName', 'fields', 'disclosedAt']);
    if (!d) throw new NotFoundError('Disclosure');
    if (!d.withheld) throw new BadUserInputError('The disclosure is not withheld', 'id');
    await writer.update('Disclosure', id, { withheld: false, releasedAt: DatabaseTime.now });
    await notifyTenant(writer, d.tenantId, NotificationKind.LEGAL_DISCLOSURE, releasedDisclosureMessage(d.recipientName, d.fields, d.disclosedAt));
    return id;
  });
}
