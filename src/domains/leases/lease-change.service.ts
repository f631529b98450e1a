import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { validChanges, writeThenRead } from '../../privacy/write/scoped-writer';
import type { LeaseChangeInput } from './lease-change.input';

/** Staff CONTRACT: changes a lease's end date or rent. */
export function changeLease(ctx: AppContext, id: string, input: LeaseChangeInput) {
  const values = validChanges(ctx.viewer, 'Lease', input, {
    endDate: (v) => {
      if (Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())) throw new BadUserInputError('endDate is not a date', 'endDate');
      return v;
    },
    monthlyRent: (v) => {
      if (typeof v !== 'number' || !(v > 0 && v <= 10_000) || Math.round(v * 100) !== v * 100) {
        throw new BadUserInputError('monthlyRent must be a positive amount in euros with at most two decimals', 'monthlyRent');
      }
      return v;
    },
  });
  return writeThenRead(ctx, 'Lease', async (writer) => {
    const lease = await writer.lock('Lease', id, ['startDate']);
    if (!lease) throw new NotFoundError('Lease');
    const end = values.endDate as string | undefined;
    if (end && end < lease.startDate) throw new BadUserInputError('endDate is before the start of the lease', 'endDate');
    await writer.update('Lease', id, values);
    return id;
  });
}
