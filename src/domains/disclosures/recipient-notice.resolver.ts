import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import type { AppContext } from '../../privacy/context';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { Disclosure } from './disclosure.entity';
import { RecipientNotice } from './recipient-notice.entity';

@Resolver(() => RecipientNotice)
export class RecipientNoticeResolver {
  @Query(() => [RecipientNotice], {
    nullable: true,
    description: 'PRIVACY: art. 19 notices owed to recipients holding a copy, the oldest first; those not yet sent unless `sent` is true.',
  })
  recipientNotices(
    @Ctx() { reader }: AppContext,
    @RequestedFields() fields: Requested,
    @Arg('sent', () => Boolean, { defaultValue: false }) sent: boolean,
  ) {
    return reader.list('RecipientNotice', {
      filters: [{ field: 'sentAt', values: [], op: sent ? 'set' : 'unset' }],
      orderBy: { fields: ['createdAt'], direction: 'ASC' },
      limit: 500,
      fields,
    });
  }

  @FieldResolver(() => Disclosure, { nullable: true, description: 'The disclosure that gave the recipient its copy: who it is and what it holds.' })
  disclosure(@Root() notice: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Disclosure', notice.disclosureId as string, through(notice), fields);
  }

  @FieldResolver(() => Tenant, { nullable: true })
  tenant(@Root() notice: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Tenant', notice.tenantId as string, through(notice), fields);
  }
}
