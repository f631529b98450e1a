import { recipientPurpose } from '../../privacy/policy/processing';
import { randomUUID } from 'node:crypto';
import type { Contractor, Resident, SeedContext, WorkOrderRow } from './model';
import { DAY, HOUR, isoDate, isoTime, startOfDay } from './random';
import { REPAIRS, REPAIR_REMARKS, type Trade } from './vocabulary';

type Status = 'REQUESTED' | 'ASSIGNED' | 'IN_PROGRESS' | 'DONE' | 'CANCELLED';
const STATUS_WEIGHTS: [Status, number][] = [['REQUESTED', 12], ['ASSIGNED', 13], ['IN_PROGRESS', 10], ['DONE', 55], ['CANCELLED', 10]];
const TRADES = Object.keys(REPAIRS) as Trade[];
export const CONTRACTOR_FIELDS = ['Tenant.firstName', 'Tenant.lastName', 'Tenant.phone', 'Tenant.address'];

/**
 * Repair requests of ACTIVE tenants on the dwelling of their running lease, about 1.5 per tenant.
 * Every contractor gets at least one order in ASSIGNED, IN_PROGRESS and DONE; each assignment is a disclosure.
 */
export function seedWorkOrders(ctx: SeedContext): void {
  const { rng, active, contractors } = ctx;
  if (active.length === 0) return;
  const tenants = rng.shuffle(active);
  let k = 0;
  for (const contractor of contractors) {
    for (const status of ['ASSIGNED', 'IN_PROGRESS', 'DONE'] as const) {
      workOrder(ctx, tenants[k++ % tenants.length], status, contractor);
    }
  }
  for (const status of ['REQUESTED', 'CANCELLED'] as const) workOrder(ctx, tenants[k++ % tenants.length], status, null);
  for (const resident of active) {
    const n = rng.weighted([[0, 10], [1, 45], [2, 35], [3, 10]]);
    for (let i = 0; i < n; i++) workOrder(ctx, resident, rng.weighted(STATUS_WEIGHTS), null);
  }
}

function workOrder(ctx: SeedContext, r: Resident, status: Status, forced: Contractor | null): void {
  const { rng, now, today, data } = ctx;
  const trade = forced?.trade ?? rng.pick(TRADES);
  const remark = rng.pick(REPAIR_REMARKS);
  const description = rng.pick(REPAIRS[trade as Trade]) + (remark ? `.${remark}` : '');
  const needsContractor = status === 'ASSIGNED' || status === 'IN_PROGRESS' || status === 'DONE';
  const contractor = needsContractor ? forced ?? rng.pick(ctx.contractors.filter((c) => c.trade === trade)) : null;

  const ageDays = {
    REQUESTED: [0, 10], ASSIGNED: [2, 30], IN_PROGRESS: [7, 60], DONE: [14, 1000], CANCELLED: [5, 500],
  }[status];
  const earliest = r.leaseStartMs + DAY + rng.int(8, 18) * HOUR;
  const created = Math.min(now - HOUR, Math.max(earliest, now - rng.int(ageDays[0], ageDays[1]) * DAY - rng.int(0, 10) * HOUR));
  const assigned = Math.min(now - 60_000, created + rng.int(2, 48) * HOUR);
  let scheduled: number | null = null;
  let completed: number | null = null;
  if (status === 'ASSIGNED') scheduled = today + rng.int(1, 28) * DAY;
  if (status === 'IN_PROGRESS') scheduled = Math.max(startOfDay(assigned) + DAY, today - rng.int(0, 14) * DAY);
  if (status === 'DONE') {
    scheduled = Math.min(today, startOfDay(assigned) + rng.int(1, 21) * DAY);
    completed = Math.min(now - 60_000, Math.max(assigned + HOUR, scheduled + rng.int(9, 16) * HOUR));
  }
  if (status === 'IN_PROGRESS' && scheduled! > today) scheduled = today;

  const row: WorkOrderRow = {
    id: randomUUID(),
    tenant_id: r.tenant.id,
    dwelling_id: r.dwelling.row.id,
    contractor_id: contractor?.row.id ?? null,
    description,
    status,
    created_at: isoTime(created),
    scheduled_for: scheduled === null ? null : isoDate(scheduled),
    completed_at: completed === null ? null : isoTime(completed),
  };
  data.work_order.push(row);
  if (contractor) {
    data.disclosure.push({
      id: randomUUID(), tenant_id: r.tenant.id, recipient_kind: 'CONTRACTOR', recipient_org_id: contractor.row.id,
      recipient_name: contractor.row.name, purpose: recipientPurpose('contractor'), fields: CONTRACTOR_FIELDS.join('|'),
      disclosed_at: isoTime(assigned), withheld: false, withheld_reason: null,
    });
  }
}
