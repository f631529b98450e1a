import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Dwelling } from '../dwellings/dwelling.entity';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { Lease } from './lease.entity';

@Resolver(() => Lease)
export class LeaseResolver {
  @FieldResolver(() => Dwelling, { nullable: true })
  dwelling(@Root() lease: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    const dwellingId = lease.dwellingId as string | null;
    return dwellingId ? reader.byId('Dwelling', dwellingId, through(lease), fields) : null;
  }
}

/** The tenant's leases: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantLeasesResolver {
  @FieldResolver(() => [Lease], { nullable: true })
  leases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Lease', 'tenantId', tenant.id, through(tenant), { fields: ['startDate'], direction: 'DESC' }, fields);
  }
}
