import { BadUserInputError, NotFoundError } from '../../platform/errors';
import type { AppContext } from '../../privacy/context';
import { lockInScope, writeThenRead } from '../../privacy/write/scoped-write';
import { changes } from '../tenants/tenant-correction.service';
import type { LeaseChangeInput } from './lease-change.input';

/** Staff CONTRACT: changes a lease's end date or rent. */
export function changeLease(ctx: AppContext, id: string, input: LeaseChangeInput) {
  const sets = changes(ctx, 'Lease', input, {
    endDate: (v) => {
      if (Number.isNaN(new Date(`${v}T00:00:00Z`).getTime())) throw new BadUserInputError('endDate is not a date', 'endDate');
      return ['end_date', v];
    },
    monthlyRent: (v) => {
      if (typeof v !== 'number' || !(v > 0 && v <= 10_000) || Math.round(v * 100) !== v * 100) {
        throw new BadUserInputError('monthlyRent must be a positive amount in euros with at most two decimals', 'monthlyRent');
      }
      return ['monthly_rent', v];
    },
  });
  return writeThenRead(ctx, 'Lease', async (m) => {
    const lease = await lockInScope(m, ctx.viewer, 'Lease', id, ['start_date']);
    if (!lease) throw new NotFoundError('Lease');
    const end = sets.find(([c]) => c === 'end_date')?.[1] as string | undefined;
    if (end && end < lease.start_date) throw new BadUserInputError('endDate is before the start of the lease', 'endDate');
    await m.query(`UPDATE lease SET ${sets.map(([c], i) => `"${c}" = $${i + 2}`).join(', ')} WHERE id = $1`, [id, ...sets.map(([, v]) => v)]);
    return id;
  });
}
