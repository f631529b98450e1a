import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, connectionOf, paginate } from '../common/connection';
import { BadUserInputError } from '../common/errors';
import { RequestedFields, type Requested } from '../privacy/requested';
import type { AppContext } from '../context';
import { Address } from '../dwellings/dwelling.entity';
import { Lease } from '../leases/lease.entity';
import { WorkOrder } from '../work-orders/work-order.entity';
import { Invoice } from '../invoices/invoice.entity';
import { ArrearsCase } from '../arrears/arrears-case.entity';
import { NuisanceCase } from '../nuisance/nuisance-case.entity';
import { Disclosure } from '../disclosures/disclosure.entity';
import { ROOT, through, type Row } from '../privacy/scoped-reader';
import { Tenant } from './tenant.entity';

export const TenantConnection = connectionOf(Tenant, 'Tenant');
const MAX_SEARCH_LENGTH = 100;

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => TenantConnection, { nullable: true, description: 'Staff: tenants, by name. `search` matches only fields the purpose reads.' })
  tenants(
    @Ctx() { reader }: AppContext,
    @RequestedFields('edges', 'node') fields: Requested,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Arg('search', () => String, { nullable: true }) search?: string,
  ) {
    const term = search?.trim() || undefined;
    if (term && term.length > MAX_SEARCH_LENGTH) throw new BadUserInputError(`search is longer than ${MAX_SEARCH_LENGTH}`, 'search');
    return paginate(reader, 'Tenant', { first, after }, {
      search: term,
      orderBy: { fields: ['lastName', 'firstName'], direction: 'ASC' },
    }, fields);
  }

  @Query(() => Tenant, { nullable: true, description: 'Staff: one tenant; out of scope answers like missing.' })
  tenant(@Arg('id', () => ID) id: string, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Tenant', assertUuid(id), ROOT, fields);
  }

  @Query(() => Tenant, { nullable: true, description: "Tenant: the caller's own record." })
  myProfile(@Ctx() { reader, viewer }: AppContext, @RequestedFields() fields: Requested) {
    return viewer.tenantId ? reader.byId('Tenant', viewer.tenantId, ROOT, fields) : null;
  }

  @FieldResolver(() => Address, { nullable: true, description: 'The address of the dwelling let.' })
  address(@Root() tenant: Row) {
    return tenant.address ?? null;
  }

  @FieldResolver(() => [Lease], { nullable: true })
  leases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Lease', 'tenantId', tenant.id, through(tenant), { fields: ['startDate'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => [WorkOrder], { nullable: true })
  workOrders(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('WorkOrder', 'tenantId', tenant.id, through(tenant), { fields: ['createdAt'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => [Invoice], { nullable: true })
  invoices(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Invoice', 'tenantId', tenant.id, through(tenant), { fields: ['period'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => [ArrearsCase], { nullable: true })
  arrearsCases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('ArrearsCase', 'tenantId', tenant.id, through(tenant), { fields: ['since'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => [NuisanceCase], { nullable: true, description: 'Cases about the tenant; the reporter is never the tenant\'s to see.' })
  nuisanceCases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('NuisanceCase', 'tenantId', tenant.id, through(tenant), { fields: ['createdAt'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => [Disclosure], { nullable: true, description: 'Where the tenant\'s data went (art. 15(1)(c)); withheld ones only for PRIVACY.' })
  disclosures(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Disclosure', 'tenantId', tenant.id, through(tenant), { fields: ['disclosedAt'], direction: 'DESC' }, fields);
  }
}
