import { randomUUID } from 'node:crypto';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import { invalidValue, requiredText } from '../../platform/values/input';
import { normalizedEmail } from '../../platform/values/email';
import { normalizedPhone } from '../../platform/values/phone';
import type { AppContext } from '../../privacy/context';
import { assertUuid } from '../../privacy/read/connection';
import { DatabaseTime, deferredValidation, validChanges, Values, writeThenRead } from '../../privacy/write/scoped-writer';
import type { HomeSeekerInput } from './home-seeker.input';
import { validDateOfBirth } from './tenant-correction.service';
import { IncomeCategory, TenantStatus } from './tenant.entity';

const MAX_NAME = 100;

/**
 * Staff LETTING: registers a home seeker (status HOME_SEEKER). An email or phone another account
 * holds is refused like an invalid one, after the insert tried it (deferredValidation).
 */
export function registerHomeSeeker(ctx: AppContext, input: HomeSeekerInput) {
  const valid = deferredValidation(() => validChanges(ctx.viewer, 'Tenant', input, {
    firstName: (v) => requiredText(v, 'firstName', { max: MAX_NAME }),
    lastName: (v) => requiredText(v, 'lastName', { max: MAX_NAME }),
    dateOfBirth: (v) => validDateOfBirth(v),
    email: (v) => normalizedEmail(v) ?? (() => { throw invalidValue('email'); })(),
    phone: (v) => normalizedPhone(v.trim()) ?? (() => { throw invalidValue('phone'); })(),
    incomeCategory: (v) => {
      if (!Object.values(IncomeCategory).includes(v)) throw invalidValue('incomeCategory');
      return v;
    },
    householdSize: (v) => {
      if (!Number.isInteger(v) || v < 1 || v > 20) throw new BadUserInputError('householdSize must be a whole number from 1 to 20', 'householdSize');
      return v;
    },
  }));
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    const values = valid();
    // The id is the row's own subject (Tenant's subject column is its id).
    return writer.insert('Tenant', randomUUID(), { ...values, status: TenantStatus.HOME_SEEKER });
  });
}

/** Staff LETTING: a home seeker renews the registration; it then runs for another year. */
export function renewRegistration(ctx: AppContext, id: string) {
  return changeRunningRegistration(ctx, id, 'renewed', { registrationRenewedAt: DatabaseTime.now });
}

/**
 * Staff LETTING: ends a home seeker's registration. The person is deregistered (FORMER, with the
 * date), and retention anonymises them a year later, as a former tenant.
 */
export function endRegistration(ctx: AppContext, id: string) {
  return changeRunningRegistration(ctx, id, 'ended', { status: TenantStatus.FORMER, deregisteredAt: DatabaseTime.now });
}

/** Locks a home seeker's running registration and writes `values` to it; anyone else is refused. */
function changeRunningRegistration(ctx: AppContext, id: string, verb: 'renewed' | 'ended', values: Values) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'Tenant', async (writer) => {
    const person = await writer.lock('Tenant', id, ['status']);
    if (!person) throw new NotFoundError('Tenant');
    if (person.status !== TenantStatus.HOME_SEEKER) throw new BadUserInputError(`Only a running registration of a home seeker can be ${verb}`, 'id');
    await writer.update('Tenant', id, values);
    return id;
  });
}
