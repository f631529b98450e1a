import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { assertUuid, connectionOf, paginate } from '../../privacy/read/connection';
import { BadUserInputError } from '../../platform/errors';
import { PageFields, RequestedFields, type PageRequest, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { Address } from '../dwellings/dwelling.entity';
import { ROOT, through, type Row } from '../../privacy/read/scoped-reader';
import { searchDescription } from '../../privacy/read/search';
import { ConsentRecord } from './consent-record.entity';
import { Tenant } from './tenant.entity';

export const TenantConnection = connectionOf(Tenant, 'Tenant');
const MAX_SEARCH_LENGTH = 100;

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => TenantConnection, { nullable: true, description: `Staff: tenants, by name. ${searchDescription('Tenant')}` })
  tenants(
    @Ctx() { reader }: AppContext,
    @PageFields() fields: PageRequest,
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

  @FieldResolver(() => Boolean, { nullable: true, description: 'Consent to analytics cookies is in force: given and not withdrawn (see consents).' })
  analyticsConsent(@Root() tenant: Row) {
    return tenant.analyticsConsent ?? null;
  }

  @FieldResolver(() => [ConsentRecord], { nullable: true, description: 'Consents given and withdrawn, with when and under which statement version, newest first.' })
  consents(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('ConsentRecord', 'tenantId', tenant.id, through(tenant), { fields: ['givenAt'], direction: 'DESC' }, fields);
  }

  @FieldResolver(() => Address, { nullable: true, description: 'The address of the dwelling let.' })
  address(@Root() tenant: Row) {
    return tenant.address ?? null;
  }
}
