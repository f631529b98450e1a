import { randomUUID } from 'node:crypto';
import { dutchIban } from '../../platform/values/iban';
import { normalizedPhone } from '../../platform/values/phone';
import type { Dwelling, LeaseRow, Resident, SeedContext, TenantRow } from './model';
import { DAY, addYears, isoDate, isoTime, startOfDay } from './random';
import { BANK_CODES, EMAIL_DOMAINS } from './vocabulary';

/** Share of FORMER tenants that get invoices from more than eight fiscal years ago. */
const OLD_INVOICE_SHARE = 0.05;

function slug(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z]/g, '');
}

/**
 * `perStatus` tenants in each status. ACTIVE tenants get a running lease on a dwelling of their own,
 * FORMER tenants an ended one; some of both had an earlier lease on another dwelling.
 * Returns the FORMER tenants whose lease is old enough for invoices of fiscal year `oldInvoiceYear`.
 */
export function seedTenants(ctx: SeedContext, perStatus: number, oldInvoiceYear: number): Set<Resident> {
  const { rng, now, today, data } = ctx;
  const faker = rng.faker;
  const phones = new Set<string>();
  const ibans = new Set<string>();
  let seq = 0;

  const tenant = (status: TenantRow['status'], minAge: number, maxAge: number) => {
    seq++;
    const first = faker.person.firstName();
    const last = faker.person.lastName();
    const local = rng.weighted([
      [`${slug(first)}.${slug(last)}`, 5],
      [`${slug(first).slice(0, 1)}.${slug(last)}`, 2],
      [`${slug(first)}${slug(last)}`, 1],
    ]);
    let core: string;
    do core = String(rng.int(10_000_000, 59_999_999)); while (phones.has(core));
    phones.add(core);
    let iban: string;
    do iban = dutchIban(rng.pick(BANK_CODES), String(rng.int(1, 999_999_999)).padStart(10, '0')); while (ibans.has(iban));
    ibans.add(iban);
    const dobMs = startOfDay(addYears(now, -maxAge) + rng.int(1, (maxAge - minAge) * 365) * DAY);
    const row: TenantRow = {
      id: randomUUID(),
      first_name: first,
      last_name: last,
      date_of_birth: isoDate(dobMs),
      email: `${local || 'huurder'}${seq}@${rng.pick(EMAIL_DOMAINS)}`,
      // Typed either way, stored in the one form the API compares and keeps (E.164).
      phone: normalizedPhone(rng.chance(0.8) ? `06${core}` : `+316${core}`)!,
      iban,
      income_category: rng.chance(0.7) ? 'BELOW_THRESHOLD' : 'ABOVE_THRESHOLD',
      household_size: rng.weighted([[1, 35], [2, 30], [3, 15], [4, 12], [5, 5], [6, 3]]),
      status,
      registered_at: '',
      deregistered_at: null,
      analytics_consent: rng.chance(0.4),
    };
    data.tenant.push(row);
    return { row, dobMs, adultMs: addYears(dobMs, 18) + DAY };
  };

  const lease = (tenantId: string, dwelling: Dwelling, startMs: number, endMs: number | null): LeaseRow => {
    const row: LeaseRow = {
      id: randomUUID(), tenant_id: tenantId, dwelling_id: dwelling.row.id, start_date: isoDate(startMs),
      end_date: endMs === null ? null : isoDate(endMs), monthly_rent: rng.money(450, 950),
    };
    data.lease.push(row);
    dwelling.freeBefore = Math.min(dwelling.freeBefore, startMs);
    return row;
  };

  const homes = rng.shuffle(ctx.dwellings.map((_, i) => i));
  let nextHome = 0;
  const registeredBefore = (startMs: number, adultMs: number) =>
    isoTime(Math.max(adultMs, startMs - rng.int(30, 2500) * DAY) + rng.int(8 * 3600, 20 * 3600) * 1000);

  for (let i = 0; i < perStatus; i++) {
    const t = tenant('HOME_SEEKER', 18, 70);
    t.row.registered_at = isoTime(Math.max(t.adultMs, now - rng.int(1, 3650) * DAY) + rng.int(1, 10 * 3600) * 1000);
    ctx.homeSeekers.push(t.row);
  }

  for (let i = 0; i < perStatus; i++) {
    const t = tenant('ACTIVE', 20, 90);
    const dwelling = ctx.dwellings[homes[nextHome++]];
    const startMs = startOfDay(Math.max(t.adultMs + 30 * DAY, today - rng.int(30, 15 * 365) * DAY));
    t.row.registered_at = registeredBefore(startMs, t.adultMs);
    ctx.active.push({ tenant: t.row, dobMs: t.dobMs, lease: lease(t.row.id, dwelling, startMs, null), leaseStartMs: startMs, dwelling });
  }

  const oldInvoices = new Set<Resident>();
  const oldCount = perStatus > 0 ? Math.max(1, Math.round(perStatus * OLD_INVOICE_SHARE)) : 0;
  for (let i = 0; i < perStatus; i++) {
    const old = i < oldCount;
    const t = tenant('FORMER', old ? 40 : 22, 90);
    const deregisteredMs = today - rng.int(31, 3 * 365) * DAY + rng.int(9 * 3600, 17 * 3600) * 1000;
    const endMs = startOfDay(deregisteredMs);
    const startMs = old
      ? Date.UTC(oldInvoiceYear - rng.int(1, 4), rng.int(0, 11), rng.int(1, 28))
      : startOfDay(Math.max(t.adultMs + 30 * DAY, endMs - rng.int(180, 15 * 365) * DAY));
    t.row.registered_at = registeredBefore(startMs, t.adultMs);
    t.row.deregistered_at = isoTime(deregisteredMs);
    const dwelling = ctx.dwellings[homes[nextHome++]];
    const resident = { tenant: t.row, dobMs: t.dobMs, lease: lease(t.row.id, dwelling, startMs, endMs), leaseStartMs: startMs, dwelling };
    ctx.former.push(resident);
    if (old) oldInvoices.add(resident);
  }

  // An earlier lease on another dwelling, ended before both the tenant's current lease and
  // the first lease on that dwelling began.
  for (const r of [...ctx.active, ...ctx.former]) {
    if (!rng.chance(0.12)) continue;
    for (let attempt = 0; attempt < 5; attempt++) {
      const other = ctx.dwellings[rng.int(0, ctx.dwellings.length - 1)];
      if (other === r.dwelling) continue;
      const endMs = startOfDay(Math.min(r.leaseStartMs, other.freeBefore) - rng.int(1, 60) * DAY);
      const adultMs = addYears(r.dobMs, 18) + DAY;
      const startMs = startOfDay(Math.max(endMs - rng.int(365, 10 * 365) * DAY, adultMs + 30 * DAY));
      if (endMs - startMs < 180 * DAY) continue;
      lease(r.tenant.id, other, startMs, endMs);
      if (Date.parse(r.tenant.registered_at) > startMs) r.tenant.registered_at = registeredBefore(startMs, adultMs);
      break;
    }
  }
  return oldInvoices;
}
