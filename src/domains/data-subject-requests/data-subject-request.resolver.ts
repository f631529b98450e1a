import { Arg, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { through, type Row } from '../../privacy/read/scoped-reader';
import { Tenant } from '../tenants/tenant.entity';
import { RecipientNotice } from '../disclosures/recipient-notice.entity';
import { DataSubjectRequest, DataSubjectRequestStatus } from './data-subject-request.entity';

@Resolver(() => DataSubjectRequest)
export class DataSubjectRequestResolver {
  @Query(() => [DataSubjectRequest], { nullable: true, description: 'PRIVACY: requests, the soonest due first.' })
  dataSubjectRequests(
    @Ctx() { reader }: AppContext,
    @RequestedFields() fields: Requested,
    @Arg('status', () => [DataSubjectRequestStatus], { nullable: true }) status?: DataSubjectRequestStatus[],
  ) {
    return reader.list('DataSubjectRequest', {
      filters: status?.length ? [{ field: 'status', values: status }] : [],
      orderBy: { fields: ['dueAt'], direction: 'ASC' },
      limit: 500,
      fields,
    });
  }

  @FieldResolver(() => Tenant, { nullable: true })
  tenant(@Root() request: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return reader.byId('Tenant', request.tenantId as string, through(request), fields);
  }
}

/** The request an art. 19 notice carries out: this domain's field on the disclosures' notice. */
@Resolver(() => RecipientNotice)
export class RecipientNoticeRequestResolver {
  @FieldResolver(() => DataSubjectRequest, { nullable: true })
  request(@Root() notice: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return notice.requestId ? reader.byId('DataSubjectRequest', notice.requestId as string, through(notice), fields) : null;
  }
}
