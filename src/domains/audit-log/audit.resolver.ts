import { Arg, Ctx, FieldResolver, ID, Int, Query, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors';
import { isPurpose } from '../../platform/auth/audiences';
import { assertUuid, connectionOf, pageSize, paginate } from '../../privacy/read/connection';
import { RequestedFields, type Requested } from '../../privacy/read/requested';
import { through, type Filter, type Row } from '../../privacy/read/scoped-reader';
import type { AppContext } from '../../privacy/context';
import { Organization } from '../organizations/organization.entity';
import { AuditEvent } from './audit-event.entity';

export const AuditEventConnection = connectionOf(AuditEvent, 'AuditEvent');

/** A point in time from an argument, or BAD_USER_INPUT naming it. */
function instant(value: string, argument: string): Date {
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || !/^\d{4}-\d{2}-\d{2}/.test(value)) throw new BadUserInputError(`${argument} is not an ISO 8601 date or time`, argument);
  return at;
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, {
    nullable: true,
    description: 'PRIVACY: who read which personal fields, newest first; by tenant, actor, organisation, purpose and time (`from` inclusive, `to` exclusive).',
  })
  auditLog(
    @Ctx() { reader }: AppContext,
    @RequestedFields('edges', 'node') fields: Requested,
    @Arg('tenantId', () => ID, { nullable: true }) tenantId?: string,
    @Arg('actorSub', () => String, { nullable: true }) actorSub?: string,
    @Arg('orgId', () => ID, { nullable: true }) orgId?: string,
    @Arg('purpose', () => String, { nullable: true }) purpose?: string,
    @Arg('from', () => String, { nullable: true }) from?: string,
    @Arg('to', () => String, { nullable: true }) to?: string,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    if (purpose != null && !isPurpose(purpose)) throw new BadUserInputError('purpose is not a purpose', 'purpose');
    const filters: Filter[] = [
      ...(tenantId ? [{ field: 'tenantIds', values: [assertUuid(tenantId, 'tenantId')], op: 'contains' as const }] : []),
      ...(actorSub ? [{ field: 'actorSub', values: [actorSub] }] : []),
      ...(orgId ? [{ field: 'orgId', values: [assertUuid(orgId, 'orgId')] }] : []),
      ...(purpose ? [{ field: 'purpose', values: [purpose] }] : []),
      ...(from ? [{ field: 'at', values: [instant(from, 'from')], op: 'atLeast' as const }] : []),
      ...(to ? [{ field: 'at', values: [instant(to, 'to')], op: 'before' as const }] : []),
    ];
    return paginate(reader, 'AuditEvent', { first, after }, { filters, orderBy: { fields: [], direction: 'DESC' } }, fields);
  }

  @Query(() => [AuditEvent], { nullable: true, description: "Tenant: who accessed the caller's personal data, with the organisation that read it." })
  myAccessLog(@Ctx() { reader }: AppContext, @RequestedFields() fields: Requested, @Arg('first', () => Int, { nullable: true }) first?: number) {
    return reader.list('AuditEvent', { orderBy: { fields: [], direction: 'DESC' }, limit: pageSize(first), fields });
  }

  @FieldResolver(() => Organization, { nullable: true, description: 'The organisation that read (a contractor, a bailiff, a builder); none for an employee or the tenant.' })
  organization(@Root() event: Row, @Ctx() { reader }: AppContext, @RequestedFields() fields: Requested) {
    return event.orgId ? reader.byId('Organization', event.orgId as string, through(event), fields) : null;
  }
}
