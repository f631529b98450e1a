import { stringify } from 'csv-stringify/sync';
import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ID, Int, Query, registerEnumType, Resolver, Root } from 'type-graphql';
import { BadUserInputError } from '../../platform/errors';
import { isPurpose } from '../../platform/auth/audiences';
import { assertUuid, connectionOf, pageSize, paginate } from '../../privacy/read/connection';
import { PageFields, RequestedFields, type PageRequest, type Requested } from '../../privacy/read/requested';
import { through, type Filter, type Row } from '../../privacy/read/scoped-reader';
import type { AppContext } from '../../privacy/context';
import { Organization } from '../organizations/organization.entity';
import { AuditEvent } from './audit-event.entity';

export const AuditEventConnection = connectionOf(AuditEvent, 'AuditEvent');

/** An export is one file: bounded, like any list. */
export const MAX_EXPORT_EVENTS = 10_000;
/** The columns of an export: what the privacy officer reads of an event, never a value. */
const EXPORT_COLUMNS = ['id', 'at', 'actorSub', 'role', 'orgId', 'purpose', 'operation', 'tenantIds', 'fields', 'hash'] as const;

export enum AuditExportFormat {
  JSON = 'JSON',
  CSV = 'CSV',
}
registerEnumType(AuditExportFormat, { name: 'AuditExportFormat' });

/** Which events: by tenant, actor, organisation, purpose, and time (`from` inclusive, `to` exclusive). */
@ArgsType()
class AuditLogFilter {
  @Field(() => ID, { nullable: true }) tenantId?: string;
  @Field(() => String, { nullable: true }) actorSub?: string;
  @Field(() => ID, { nullable: true }) orgId?: string;
  @Field(() => String, { nullable: true }) purpose?: string;
  @Field(() => String, { nullable: true }) from?: string;
  @Field(() => String, { nullable: true }) to?: string;
}

function auditFilters({ tenantId, actorSub, orgId, purpose, from, to }: AuditLogFilter): Filter[] {
  if (purpose != null && !isPurpose(purpose)) throw new BadUserInputError('purpose is not a purpose', 'purpose');
  return [
    ...(tenantId ? [{ field: 'tenantIds', values: [assertUuid(tenantId, 'tenantId')], op: 'contains' as const }] : []),
    ...(actorSub ? [{ field: 'actorSub', values: [actorSub] }] : []),
    ...(orgId ? [{ field: 'orgId', values: [assertUuid(orgId, 'orgId')] }] : []),
    ...(purpose ? [{ field: 'purpose', values: [purpose] }] : []),
    ...(from ? [{ field: 'at', values: [instant(from, 'from')], op: 'atLeast' as const }] : []),
    ...(to ? [{ field: 'at', values: [instant(to, 'to')], op: 'before' as const }] : []),
  ];
}

const exported = (value: unknown) => (value instanceof Date ? value.toISOString() : value ?? null);

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
    @PageFields() fields: PageRequest,
    @Args(() => AuditLogFilter) filter: AuditLogFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return paginate(reader, 'AuditEvent', { first, after }, { filters: auditFilters(filter), orderBy: { fields: [], direction: 'DESC' } }, fields);
  }

  @Query(() => String, {
    nullable: true,
    description: `PRIVACY: the audit log with the same filters, newest first, as one JSON array or CSV text (at most ${MAX_EXPORT_EVENTS} events).`,
  })
  async auditLogExport(
    @Ctx() { reader }: AppContext,
    @Args(() => AuditLogFilter) filter: AuditLogFilter,
    @Arg('format', () => AuditExportFormat) format: AuditExportFormat,
  ) {
    const rows = await reader.list('AuditEvent', { filters: auditFilters(filter), orderBy: { fields: [], direction: 'DESC' }, limit: MAX_EXPORT_EVENTS });
    const events = rows.map((row) => Object.fromEntries(EXPORT_COLUMNS.map((c) => [c, exported(row[c])])));
    if (format === AuditExportFormat.JSON) return JSON.stringify(events);
    return stringify(events.map((e) => EXPORT_COLUMNS.map((c) => (Array.isArray(e[c]) ? (e[c] as string[]).join(' ') : e[c]))), { header: true, columns: [...EXPORT_COLUMNS] });
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
