import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { NuisanceCase } from './nuisance-case.entity';

@Resolver(() => NuisanceCase)
export class NuisanceCaseResolver {
  @FieldResolver(() => Tenant, { nullable: true, description: 'Who reported it: staff NUISANCE and PRIVACY only.' })
  reportedBy(@Root() nuisance: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return nuisance.reportedById ? reader.byId('Tenant', nuisance.reportedById as string, through(nuisance), fields) : null;
  }
}

/** The tenant's nuisanceCases: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantNuisanceCasesResolver {
  @FieldResolver(() => [NuisanceCase], { nullable: true, description: 'Cases about the tenant; the reporter is never the tenant\'s to see.' })
  nuisanceCases(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('NuisanceCase', 'tenantId', tenant.id, through(tenant), { fields: ['createdAt'], direction: 'DESC' }, fields);
  }
}
