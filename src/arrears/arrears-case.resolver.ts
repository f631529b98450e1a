import { Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../privacy/requested';
import type { AppContext } from '../context';
import { Lease } from '../leases/lease.entity';
import { Organization } from '../organizations/organization.entity';
import { through, type Row } from '../privacy/scoped-reader';
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
