import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Organization } from '../organizations/organization.entity';
import { Tenant } from '../tenants/tenant.entity';
import { Disclosure } from './disclosure.entity';

/** The tenant's disclosures: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantDisclosuresResolver {
  @FieldResolver(() => [Disclosure], { nullable: true, description: 'Where the tenant\'s data went (art. 15(1)(c)); withheld ones only for PRIVACY.' })
  disclosures(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Disclosure', 'tenantId', tenant.id, through(tenant), { fields: ['disclosedAt'], direction: 'DESC' }, fields);
  }
}

@Resolver(() => Disclosure)
export class DisclosureResolver {
  @FieldResolver(() => Organization, {
    nullable: true,
    description: 'The organisation that received the data (a contractor, builder, bailiff or public authority); kept after an erasure. Null for a legal disclosure recorded without `authority`.',
  })
  recipientOrganization(@Root() disclosure: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return disclosure.recipientOrgId ? reader.byId('Organization', disclosure.recipientOrgId as string, through(disclosure), fields) : null;
  }
}
