import { requiredText } from '../../platform/values/input';
import { BadUserInputError, ForbiddenError, NotFoundError } from '../../platform/errors';
import { isValidIban } from '../../platform/values/iban';
import type { AppContext } from '../../privacy/context';
import { canWrite } from '../../privacy/policy/access';
import { lockInScope, writeThenRead } from '../../privacy/write/scoped-write';
import { TenantCorrectionInput } from './tenant-correction.input';

const MAX_NAME = 100;

/** A date of birth that is a real calendar date and makes an adult of at most 120. */
function validDateOfBirth(value: string, today = new Date()): string {
  const date = new Date(`${value}T00:00:00Z`);
  const age = (today.getTime() - date.getTime()) / (365.25 * 86_400_000);
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value || age < 16 || age > 120) {
    throw new BadUserInputError('dateOfBirth is not a plausible date of birth', 'dateOfBirth');
  }
  return value;
}

/** Each field given, validated, as [column, value]; the caller's purpose must be a declared writer of each. */
export function changes<T extends object>(ctx: AppContext, type: string, input: T, validate: Record<keyof T & string, (v: any) => [string, unknown]>) {
  const given = Object.entries(input).filter(([, v]) => v !== null && v !== undefined) as [keyof T & string, unknown][];
  if (!given.length) throw new BadUserInputError('input must give at least one field', 'input');
  for (const [field] of given) {
    if (!canWrite(ctx.viewer.audience, type, field as string)) throw new ForbiddenError(`This purpose may not change ${field}`);
  }
  return given.map(([field, value]) => validate[field](value));
}

/** Staff: corrects a tenant's name and date of birth (CONTRACT) or direct-debit IBAN (RENT_COLLECTION). */
export function correctTenant(ctx: AppContext, id: string, input: TenantCorrectionInput) {
  const sets = changes(ctx, 'Tenant', input, {
    firstName: (v) => ['first_name', requiredText(v, 'firstName', { max: MAX_NAME })],
    lastName: (v) => ['last_name', requiredText(v, 'lastName', { max: MAX_NAME })],
    dateOfBirth: (v) => ['date_of_birth', validDateOfBirth(v)],
    iban: (v) => {
      const iban = String(v).replace(/\s+/g, '').toUpperCase();
      if (!isValidIban(iban)) throw new BadUserInputError('iban is not a valid IBAN', 'iban');
      return ['iban', iban];
    },
  });
  return writeThenRead(ctx, 'Tenant', async (m) => {
    if (!(await lockInScope(m, ctx.viewer, 'Tenant', id, []))) throw new NotFoundError('Tenant');
    await m.query(`UPDATE tenant SET ${sets.map(([c], i) => `"${c}" = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...sets.map(([, v]) => v)]);
    return id;
  });
}
