import { randomUUID } from 'node:crypto';
import type { Resident, SeedContext } from './model';
import { DAY, HOUR, isoTime, monthStart, period } from './random';

const RECENT_MONTHS = 6;

/**
 * Monthly rent invoices (amount = the lease's rent): the last six months for ACTIVE tenants, open where
 * an arrears case is unresolved; the last months before leaving for half the FORMER tenants; and three
 * invoices of `oldInvoiceYear` (older than the fiscal retention) for the FORMER tenants in `oldInvoices`.
 */
export function seedInvoices(ctx: SeedContext, inArrears: Set<Resident>, oldInvoices: Set<Resident>, oldInvoiceYear: number): void {
  const { rng, now } = ctx;
  const invoice = (r: Resident, monthMs: number, paid: boolean) => {
    const paidAt = paid ? monthMs + rng.int(0, 4) * DAY + rng.int(6, 20) * HOUR : null;
    const isPaid = paidAt !== null && paidAt < now;
    ctx.data.invoice.push({
      id: randomUUID(), tenant_id: r.tenant.id, lease_id: r.lease.id, period: period(monthMs), amount: r.lease.monthly_rent,
      status: isPaid ? 'PAID' : 'OPEN', paid_at: isPaid ? isoTime(paidAt) : null,
    });
  };

  for (const r of ctx.active) {
    const unpaid = inArrears.has(r) ? rng.int(1, 3) : 0;
    for (let m = 1 - RECENT_MONTHS; m <= 0; m++) {
      const monthMs = monthStart(now, m);
      if (monthMs < monthStart(r.leaseStartMs)) continue;
      invoice(r, monthMs, m <= -unpaid && rng.chance(0.98));
    }
  }
  for (const r of ctx.former) {
    if (!rng.chance(0.5)) continue;
    const endMs = Date.parse(r.lease.end_date! + 'T00:00:00Z');
    for (let m = -1; m <= 0; m++) {
      const monthMs = monthStart(endMs, m);
      if (monthMs >= monthStart(r.leaseStartMs)) invoice(r, monthMs, true);
    }
  }
  for (const r of oldInvoices) {
    for (let month = 10; month <= 12; month++) invoice(r, Date.UTC(oldInvoiceYear, month - 1, 1), true);
  }
}
