import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Organization, OrganizationKind } from './organization.entity';

@Resolver(() => Organization)
export class OrganizationResolver {
  @Query(() => [Organization], { nullable: true, description: 'Staff: contractors, builders, bailiff offices and the public authorities that received legal disclosures.' })
  organizations(
    @Ctx() { reader }: AppContext,
    @RequestedFields() fields: Requested,
    @Arg('kind', () => OrganizationKind, { nullable: true }) kind?: OrganizationKind,
  ) {
    return reader.list('Organization', {
      filters: kind ? [{ field: 'kind', values: [kind] }] : [],
      orderBy: { fields: ['name'], direction: 'ASC' },
      limit: 500,
      fields,
    });
  }
}
