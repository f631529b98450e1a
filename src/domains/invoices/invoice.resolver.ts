import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { Invoice } from './invoice.entity';

/** The tenant's invoices: this domain's rows, hung from the tenant it is about. */
@Resolver(() => Tenant)
export class TenantInvoicesResolver {
  @FieldResolver(() => [Invoice], { nullable: true })
  invoices(@Root() tenant: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byKey('Invoice', 'tenantId', tenant.id, through(tenant), { fields: ['period'], direction: 'DESC' }, fields);
  }
}
