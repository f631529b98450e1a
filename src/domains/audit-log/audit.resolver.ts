import { Arg, Ctx, ID, Int, Query, Resolver } from 'type-graphql';
import { assertUuid, connectionOf, pageSize, paginate } from '../../privacy/read/connection';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import type { AppContext } from '../../privacy/context';
import { AuditEvent } from './audit-event.entity';

export const AuditEventConnection = connectionOf(AuditEvent, 'AuditEvent');

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { nullable: true, description: 'PRIVACY: who read which personal fields, newest first.' })
  auditLog(
    @Ctx() { reader }: AppContext,
    @RequestedFields('edges', 'node') fields: Requested,
    @Arg('tenantId', () => ID, { nullable: true }) tenantId?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return paginate(reader, 'AuditEvent', { first, after }, {
      filters: tenantId ? [{ field: 'tenantIds', values: [assertUuid(tenantId, 'tenantId')], op: 'contains' }] : [],
      orderBy: { fields: [], direction: 'DESC' },
    }, fields);
  }

  @Query(() => [AuditEvent], { nullable: true, description: "Tenant: who accessed the caller's personal data." })
  myAccessLog(@Ctx() { reader }: AppContext, @RequestedFields() fields: Requested, @Arg('first', () => Int, { nullable: true }) first?: number) {
    return reader.list('AuditEvent', { orderBy: { fields: [], direction: 'DESC' }, limit: pageSize(first), fields });
  }
}
