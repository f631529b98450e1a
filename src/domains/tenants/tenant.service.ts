import type { AppContext } from '../../privacy/context';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../platform/errors';
import { isValidIban } from '../../platform/values/iban';
import { isValidPhone } from '../../platform/values/phone';
import { type ScopedWriter, writeThenRead } from '../../privacy/write/scoped-writer';
import type { ContactDetailsInput } from './contact-details.input';

const MAX_EMAIL_LENGTH = 254;
/** One @, no spaces, a dot in the domain: the syntax check, not a mailbox check. */
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

/** Unique indexes of the tenant table and the field each one guards. */
const UNIQUE_FIELDS: Record<string, keyof ContactDetailsInput> = {
  tenant_email_key: 'email',
  tenant_phone_key: 'phone',
  tenant_iban_key: 'iban',
};

export type ContactDetails = Partial<Record<keyof ContactDetailsInput, string>>;

/** Validated and normalised contact details: only the fields given; at least one. */
export function validContactDetails(input: ContactDetailsInput): ContactDetails {
  const out: ContactDetails = {};
  if (input.email != null) {
    const email = input.email.trim().toLowerCase();
    if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) throw new BadUserInputError('email is not a valid e-mail address', 'email');
    out.email = email;
  }
  if (input.phone != null) {
    const phone = input.phone.trim();
    if (!isValidPhone(phone)) throw new BadUserInputError('phone is not a valid Dutch or E.164 phone number', 'phone');
    out.phone = phone;
  }
  if (input.iban != null) {
    const iban = input.iban.replace(/\s+/g, '').toUpperCase();
    if (!isValidIban(iban)) throw new BadUserInputError('iban is not a valid IBAN', 'iban');
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

/** Corrects the caller's own email, phone, iban. A value another tenant already has is BAD_USER_INPUT naming the field. */
export function updateContactDetails(ctx: AppContext, input: ContactDetailsInput) {
  const details = validContactDetails(input);
  const fields = Object.keys(details) as (keyof ContactDetailsInput)[];
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    writer.assertWritable('Tenant', fields);
    const tenantId = await lockOwnTenant(writer);
    try {
      await writer.update('Tenant', tenantId, details);
    } catch (error) {
      const field = UNIQUE_FIELDS[uniqueViolation(error) ?? ''];
      if (field) throw new BadUserInputError(`${field} is already in use by another account`, field);
      throw error;
    }
    return tenantId;
  });
}

export function setAnalyticsConsent(ctx: AppContext, granted: boolean) {
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    writer.assertWritable('Tenant', ['analyticsConsent']);
    const tenantId = await lockOwnTenant(writer);
    await writer.update('Tenant', tenantId, { analyticsConsent: granted });
    return tenantId;
  });
}

/** The constraint a unique violation (SQLSTATE 23505) hit, if that is what the error is. */
function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const driver = e?.driverError ?? e;
  return driver?.code === '23505' ? driver.constraint : undefined;
}
