import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Lease } from '../leases/lease.entity';
import { Organization } from '../organizations/organization.entity';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { ArrearsCase } from './arrears-case.entity';

/** Arrears lists are bounded: at most this many cases, oldest arrears first. */
export const MAX_ARREARS_CASES = 1000;

@Resolver(() => ArrearsCase)
export class ArrearsCaseResolver {
  @Query(() => [ArrearsCase], { nullable: true, description: 'Staff: all cases; bailiffs: the cases handed to their office.' })
  arrearsCases(@Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.list('ArrearsCase', { orderBy: { fields: ['since'], direction: 'ASC' }, limit: MAX_ARREARS_CASES, fields });
  }

  @FieldResolver(() => Organization, { nullable: true })
  bailiff(@Root() arrears: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return arrears.bailiffId ? reader.byId('Organization', arrears.bailiffId as string, through(arrears), fields) : null;
  }

  @FieldResolver(() => Tenant, { nullable: true })
  tenant(@Root() arrears: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Tenant', arrears.tenantId as string, through(arrears), fields);
  }

  @FieldResolver(() => Lease, { nullable: true })
  lease(@Root() arrears: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Lease', arrears.leaseId as string, through(arrears), fields);
  }
}

/** The tenant's arrearsCases: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantArrearsCasesResolver {
  @FieldResolver(() => [ArrearsCase], { nullable: true })
  arrearsCases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('ArrearsCase', 'tenantId', tenant.id, through(tenant), { fields: ['since'], direction: 'DESC' }, fields);
  }
}
