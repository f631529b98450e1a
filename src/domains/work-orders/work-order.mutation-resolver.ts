import { Arg, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { RepairRequestInput } from './repair-request.input';
import { WorkOrder, WorkOrderStatus } from './work-order.entity';
import { assignWorkOrder, submitRepairRequest, updateWorkOrderStatus } from './work-order.service';

@Resolver()
export class WorkOrderMutationResolver {
  @Mutation(() => WorkOrder, { nullable: true, description: 'Tenant: a repair request on the dwelling of the running lease.' })
  submitRepairRequest(@Arg('input', () => RepairRequestInput) input: RepairRequestInput, @Ctx() ctx: AppContext) {
    return submitRepairRequest(ctx, input);
  }

  @Mutation(() => WorkOrder, { nullable: true, description: 'Staff REPAIRS: assign to a contractor; records the disclosure.' })
  assignWorkOrder(
    @Arg('id', () => ID) id: string,
    @Arg('contractorId', () => ID) contractorId: string,
    @Ctx() ctx: AppContext,
  ) {
    return assignWorkOrder(ctx, id, contractorId);
  }

  @Mutation(() => WorkOrder, { nullable: true, description: 'Contractor: ASSIGNED → IN_PROGRESS → DONE on its own orders.' })
  updateWorkOrderStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => WorkOrderStatus) status: WorkOrderStatus,
    @Ctx() ctx: AppContext,
  ) {
    return updateWorkOrderStatus(ctx, id, status);
  }
}
