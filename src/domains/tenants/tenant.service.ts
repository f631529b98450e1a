import type { AppContext } from '../../privacy/context';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../platform/errors';
import { invalidValue } from '../../platform/values/input';
import { normalizedEmail } from '../../platform/values/email';
import { normalizedIban } from '../../platform/values/iban';
import { normalizedPhone } from '../../platform/values/phone';
import { deferredValidation, type ScopedWriter, writeThenRead } from '../../privacy/write/scoped-writer';
import { recordRecipientNotices } from '../../privacy/write/recipient-notices';
import type { ContactDetailsInput } from './contact-details.input';

export type ContactDetails = Partial<Record<keyof ContactDetailsInput, string>>;

/** Validated and normalised contact details: only the fields given; at least one. */
export function validContactDetails(input: ContactDetailsInput): ContactDetails {
  const out: ContactDetails = {};
  if (input.email != null) {
    const email = normalizedEmail(input.email);
    if (!email) throw invalidValue('email');
    out.email = email;
  }
  if (input.phone != null) {
    const phone = normalizedPhone(input.phone.trim());
    if (!phone) throw invalidValue('phone');
    out.phone = phone;
  }
  if (input.iban != null) {
    const iban = normalizedIban(input.iban);
    if (!iban) throw invalidValue('iban');
    out.iban = iban;
  }
  if (!Object.keys(out).length) throw new BadUserInputError('input must give at least one of email, phone, iban', 'input');
  return out;
}

/** The caller's own tenant row, locked for the write; its id. */
export async function lockOwnTenant(writer: ScopedWriter): Promise<string> {
  const tenantId = writer.viewer.tenantId;
  if (!tenantId) throw new ForbiddenError();
  if (!(await writer.lock('Tenant', tenantId))) throw new NotFoundError('Tenant');
  return tenantId;
}

/** Corrects the caller's own email, phone, iban. A value another account holds is refused like an invalid one. */
export function updateContactDetails(ctx: AppContext, input: ContactDetailsInput) {
  const valid = deferredValidation(() => validContactDetails(input));
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    const tenantId = await lockOwnTenant(writer);
    const details = valid();
    writer.assertWritable('Tenant', Object.keys(details));
    await writer.update('Tenant', tenantId, details);
    // A rectification (art. 16): recipients holding a copy of a corrected field are owed a notice (art. 19).
    await recordRecipientNotices(writer, tenantId, 'RECTIFICATION', null, Object.keys(details).map((f) => `Tenant.${f}`));
    return tenantId;
  });
}
