import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, connectionOf, paginate } from '../../privacy/read/connection';
import { PageFields, RequestedFields, type PageRequest, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Dwelling } from '../dwellings/dwelling.entity';
import { Organization } from '../organizations/organization.entity';
import { ROOT, through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { WorkOrder, WorkOrderStatus } from './work-order.entity';

export const WorkOrderConnection = connectionOf(WorkOrder, 'WorkOrder');

@Resolver(() => WorkOrder)
export class WorkOrderResolver {
  @Query(() => WorkOrderConnection, { nullable: true, description: 'Newest first. Contractors: their own orders; done ones stay listed, closed.' })
  workOrders(
    @Ctx() { reader }: AppContext,
    @PageFields() fields: PageRequest,
    @Arg('status', () => [WorkOrderStatus], { nullable: true }) status?: WorkOrderStatus[],
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return paginate(reader, 'WorkOrder', { first, after }, {
      filters: status?.length ? [{ field: 'status', values: status }] : [],
      orderBy: { fields: ['createdAt'], direction: 'DESC' },
    }, fields);
  }

  @Query(() => WorkOrder, { nullable: true })
  workOrder(@Arg('id', () => ID) id: string, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('WorkOrder', assertUuid(id), ROOT, fields);
  }

  @FieldResolver(() => Dwelling, { nullable: true })
  dwelling(@Root() order: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    const dwellingId = order.dwellingId as string | null;
    return dwellingId ? reader.byId('Dwelling', dwellingId, through(order), fields) : null;
  }

  @FieldResolver(() => Tenant, { nullable: true, description: 'The requester; closed once the order is done or cancelled.' })
  tenant(@Root() order: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Tenant', order.tenantId as string, through(order), fields);
  }

  @FieldResolver(() => Organization, { nullable: true })
  contractor(@Root() order: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return order.contractorId ? reader.byId('Organization', order.contractorId as string, through(order), fields) : null;
  }
}

/** The tenant's workOrders: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantWorkOrdersResolver {
  @FieldResolver(() => [WorkOrder], { nullable: true })
  workOrders(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('WorkOrder', 'tenantId', tenant.id, through(tenant), { fields: ['createdAt'], direction: 'DESC' }, fields);
  }
}
