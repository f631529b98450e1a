import { invalidValue, requiredText } from '../../platform/values/input';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import { normalizedIban } from '../../platform/values/iban';
import type { AppContext } from '../../privacy/context';
import { deferredValidation, validChanges, writeThenRead } from '../../privacy/write/scoped-writer';
import { recordRecipientNotices } from '../../privacy/write/recipient-notices';
import { TenantCorrectionInput } from './tenant-correction.input';

const MAX_NAME = 100;

/** A date of birth that is a real calendar date and makes an adult of at most 120. */
export function validDateOfBirth(value: string, today = new Date()): string {
  const date = new Date(`${value}T00:00:00Z`);
  const age = (today.getTime() - date.getTime()) / (365.25 * 86_400_000);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value || age < 16 || age > 120) {
    throw new BadUserInputError('dateOfBirth is not a plausible date of birth', 'dateOfBirth');
  }
  return value;
}

/** Staff: corrects a tenant's name and date of birth (CONTRACT) or direct-debit IBAN (RENT_COLLECTION). */
export function correctTenant(ctx: AppContext, id: string, input: TenantCorrectionInput) {
  // Refused after the row is locked, like an IBAN another account holds (deferredValidation).
  const valid = deferredValidation(() => validChanges(ctx.viewer, 'Tenant', input, {
    firstName: (v) => requiredText(v, 'firstName', { max: MAX_NAME }),
    lastName: (v) => requiredText(v, 'lastName', { max: MAX_NAME }),
    dateOfBirth: (v) => validDateOfBirth(v),
    iban: (v) => {
      const iban = normalizedIban(String(v));
      if (!iban) throw invalidValue('iban');
      return iban;
    },
  }));
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    if (!(await writer.lock('Tenant', id))) throw new NotFoundError('Tenant');
    const changes = valid();
    await writer.update('Tenant', id, changes);
    // A rectification (art. 16): recipients holding a copy of a corrected field are owed a notice (art. 19).
    await recordRecipientNotices(writer, id, 'RECTIFICATION', null, Object.keys(changes).map((f) => `Tenant.${f}`));
    return id;
  });
}
