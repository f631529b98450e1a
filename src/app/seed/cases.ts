import { recipientPurpose } from '../../privacy/policy/processing';
import { randomUUID } from 'node:crypto';
import type { Resident, SeedContext } from './model';
import { DAY, HOUR, dutchDate, euro, isoDate, isoTime } from './random';
import { NUISANCE } from './vocabulary';
import { disclosedFields } from '../../privacy/policy/disclosed-fields';

type ArrearsStatus = 'OPEN' | 'PAYMENT_PLAN' | 'HANDED_TO_BAILIFF' | 'CLOSED';

/**
 * Arrears cases on the running lease of about 8% of ACTIVE tenants, in every status. Hand-overs go
 * round-robin to the bailiff offices (each gets at least two), with a disclosure and a notification.
 * Returns the tenants with an unresolved case (their recent invoices stay open).
 */
export function seedArrears(ctx: SeedContext): Set<Resident> {
  const { rng, active, bailiffs } = ctx;
  const unresolved = new Set<Resident>();
  if (active.length === 0) return unresolved;
  const statuses: ArrearsStatus[] = ['OPEN', 'OPEN', 'PAYMENT_PLAN', 'CLOSED'];
  for (let i = 0; i < 2 * bailiffs.length; i++) statuses.push('HANDED_TO_BAILIFF');
  const extra = Math.round(active.length * 0.08);
  for (let i = 0; i < extra; i++) {
    statuses.push(rng.weighted([['OPEN', 40], ['PAYMENT_PLAN', 25], ['HANDED_TO_BAILIFF', 15], ['CLOSED', 20]]));
  }
  const tenants = rng.shuffle(active);
  let handedOver = 0;
  statuses.forEach((status, i) => {
    const r = tenants[i % tenants.length];
    const bailiff = status === 'HANDED_TO_BAILIFF' ? bailiffs[handedOver++ % bailiffs.length] : null;
    arrearsCase(ctx, r, status, bailiff);
    if (status !== 'CLOSED') unresolved.add(r);
  });
  return unresolved;
}

function arrearsCase(ctx: SeedContext, r: Resident, status: ArrearsStatus, bailiff: { id: string; name: string } | null): void {
  const { rng, now, today, data } = ctx;
  const rent = r.lease.monthly_rent;
  const [minAge, maxAge, minMonths, maxMonths] = {
    OPEN: [20, 120, 1, 3], PAYMENT_PLAN: [60, 400, 1, 5], HANDED_TO_BAILIFF: [150, 700, 3, 8], CLOSED: [200, 1500, 0, 0],
  }[status];
  const since = Math.max(r.leaseStartMs + DAY, today - rng.int(minAge, maxAge) * DAY);
  const amount = Math.round(rent * rng.int(minMonths * 100, maxMonths * 100)) / 100;
  const handedOver = bailiff ? Math.min(now - DAY, since + rng.int(90, 240) * DAY + rng.int(9, 16) * HOUR) : null;
  const id = randomUUID();
  data.arrears_case.push({
    id, tenant_id: r.tenant.id, lease_id: r.lease.id, amount_due: amount, since: isoDate(since), status,
    handed_over_at: handedOver === null ? null : isoTime(handedOver), bailiff_id: bailiff?.id ?? null,
  });
  if (!bailiff || handedOver === null) return;
  data.disclosure.push({
    id: randomUUID(), tenant_id: r.tenant.id, recipient_kind: 'BAILIFF', recipient_org_id: bailiff.id, recipient_name: bailiff.name,
    purpose: recipientPurpose('bailiff'), fields: disclosedFields('bailiff').join('|'), disclosed_at: isoTime(handedOver), withheld: false, withheld_reason: null,
  });
  data.notification.push({
    id: randomUUID(), tenant_id: r.tenant.id, kind: 'BAILIFF_HANDOVER',
    message:
      `Uw huurachterstand van ${euro(amount)} is op ${dutchDate(handedOver)} overgedragen aan ${bailiff.name}. ` +
      'Wij hebben daarvoor uw naam, geboortedatum, adres, het openstaande bedrag en uw maandhuur verstrekt. ' +
      'Neem contact op met de deurwaarder om een betalingsregeling te treffen.',
    created_at: isoTime(handedOver),
    read_at: rng.chance(0.5) ? isoTime(Math.min(now - 60_000, handedOver + rng.int(1, 240) * HOUR)) : null,
  });
}

/** Nuisance complaints about about 3% of ACTIVE tenants, reported by a neighbour where there is one. */
export function seedNuisance(ctx: SeedContext): void {
  const { rng, now, active, data } = ctx;
  if (active.length === 0) return;
  const byComplex = new Map<number, Resident[]>();
  for (const r of active) byComplex.set(r.dwelling.complex, [...(byComplex.get(r.dwelling.complex) ?? []), r]);
  const others = [...active.map((r) => r.tenant), ...ctx.homeSeekers];
  if (others.length < 2) return;
  const statuses = ['OPEN', 'MEDIATION', 'CLOSED'];
  for (let i = 0, n = Math.round(active.length * 0.03); i < n; i++) statuses.push(rng.weighted([['OPEN', 35], ['MEDIATION', 25], ['CLOSED', 40]]));
  const subjects = rng.shuffle(active);
  statuses.forEach((status, i) => {
    const subject = subjects[i % subjects.length];
    const neighbours = (byComplex.get(subject.dwelling.complex) ?? []).filter((r) => r !== subject);
    let reporter = neighbours.length ? rng.pick(neighbours) : null;
    let reporterId = reporter?.tenant.id;
    while (!reporterId || reporterId === subject.tenant.id) {
      reporter = null;
      reporterId = rng.pick(others).id;
    }
    const earliest = Math.max(subject.leaseStartMs, reporter?.leaseStartMs ?? 0) + DAY;
    const created = Math.min(now - HOUR, Math.max(earliest + rng.int(8, 20) * HOUR, now - rng.int(3, 700) * DAY));
    data.nuisance_case.push({
      id: randomUUID(), tenant_id: subject.tenant.id, reported_by_id: reporterId, description: rng.pick(NUISANCE), status,
      created_at: isoTime(created),
    });
  });
}
