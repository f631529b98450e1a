import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../privacy/requested';
import type { AppContext } from '../context';
import { through, type Row } from '../privacy/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { NuisanceCase } from './nuisance-case.entity';

@Resolver(() => NuisanceCase)
export class NuisanceCaseResolver {
  @FieldResolver(() => Tenant, { nullable: true, description: 'Who reported it: staff NUISANCE and PRIVACY only.' })
  reportedBy(@Root() nuisance: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return nuisance.reportedById ? reader.byId('Tenant', nuisance.reportedById as string, through(nuisance), fields) : null;
  }
}
