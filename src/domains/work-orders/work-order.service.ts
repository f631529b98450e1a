import { recipientPurpose } from '../../privacy/policy/processing';
import { assertUuid } from '../../privacy/read/connection';
import { BadUserInputError, NotFoundError } from '../../platform/errors';
import { requiredText } from '../../platform/values/input';
import type { AppContext } from '../../privacy/context';
import { recordDisclosure } from '../disclosures/disclosure.service';
import { RecipientKind } from '../disclosures/disclosure.entity';
import { leaseNotEnded } from '../../privacy/policy/running-lease';
import { OrganizationKind } from '../organizations/organization.entity';
import { organizationOfKind } from '../organizations/organization.service';
import { disclosedFields } from '../../privacy/policy/disclosed-fields';
import { DatabaseTime, writeThenRead } from '../../privacy/write/scoped-writer';
import { lockOwnTenant } from '../tenants/tenant.service';
import type { RepairRequestInput } from './repair-request.input';
import { WorkOrderStatus } from './work-order.entity';

export const DESCRIPTION_LENGTH = { min: 5, max: 2000 };

const ASSIGNABLE: readonly WorkOrderStatus[] = [WorkOrderStatus.REQUESTED, WorkOrderStatus.ASSIGNED];

/** The moves a contractor may make on its own order (POLICY.md "Writes"). */
const CONTRACTOR_MOVES: Readonly<Partial<Record<WorkOrderStatus, readonly WorkOrderStatus[]>>> = {
  [WorkOrderStatus.ASSIGNED]: [WorkOrderStatus.IN_PROGRESS, WorkOrderStatus.DONE],
  [WorkOrderStatus.IN_PROGRESS]: [WorkOrderStatus.DONE],
};

/** Tenant: a repair request on the dwelling of the caller's running lease. */
export function submitRepairRequest(ctx: AppContext, input: RepairRequestInput) {
  const description = requiredText(input.description, 'description', DESCRIPTION_LENGTH);
  return writeThenRead(ctx, 'WorkOrder', async (writer) => {
    const tenantId = await lockOwnTenant(writer);
    const [lease] = await writer.lookup(
      `SELECT l.dwelling_id FROM lease l WHERE l.tenant_id = $1 AND l.start_date <= CURRENT_DATE AND ${leaseNotEnded('l')}
       ORDER BY l.start_date DESC LIMIT 1`,
      [tenantId],
    );
    if (!lease) throw new BadUserInputError('A repair request needs a running lease', 'input');
    return writer.insert('WorkOrder', tenantId, { dwelling: lease.dwelling_id, description, status: WorkOrderStatus.REQUESTED });
  });
}

/**
 * Staff REPAIRS: assigns a requested (or re-assigns an assigned) order to a contractor. Handing the
 * order over discloses the fields the policy lets a contractor read; assigning it again to the same
 * contractor discloses nothing new and records nothing.
 */
export function assignWorkOrder(ctx: AppContext, id: string, contractorId: string) {
  assertUuid(id, 'id');
  assertUuid(contractorId, 'contractorId');
  return writeThenRead(ctx, 'WorkOrder', async (writer) => {
    const order = await writer.lock('WorkOrder', id, ['status', 'tenantId', 'contractorId']);
    if (!order) throw new NotFoundError('Work order');
    if (!ASSIGNABLE.includes(order.status)) throw new BadUserInputError(`A work order in status ${order.status} cannot be assigned`, 'id');
    const contractor = await organizationOfKind(writer, contractorId, OrganizationKind.CONTRACTOR, 'contractorId');
    await writer.update('WorkOrder', id, { status: WorkOrderStatus.ASSIGNED, contractor: contractor.id });
    if (order.contractorId !== contractor.id) {
      await recordDisclosure(writer, {
        tenantId: order.tenantId, recipientKind: RecipientKind.CONTRACTOR, recipientOrgId: contractor.id,
        recipientName: contractor.name, purpose: recipientPurpose('contractor'), fields: disclosedFields('contractor'),
      });
    }
    return id;
  });
}

/** Contractor: moves its own order on; another's order answers like a missing one. */
export function updateWorkOrderStatus(ctx: AppContext, id: string, status: WorkOrderStatus) {
  assertUuid(id, 'id');
  return writeThenRead(ctx, 'WorkOrder', async (writer) => {
    const order = await writer.lock('WorkOrder', id, ['status']);
    if (!order) throw new NotFoundError('Work order');
    if (!CONTRACTOR_MOVES[order.status as WorkOrderStatus]?.includes(status)) {
      throw new BadUserInputError(`A work order cannot move from ${order.status} to ${status}`, 'status');
    }
    await writer.update('WorkOrder', id, { status, ...(status === WorkOrderStatus.DONE ? { completedAt: DatabaseTime.now } : {}) });
    return id;
  });
}
