import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArrearsCaseResolver } from './arrears/arrears-case.resolver';
import { AuditResolver } from './audit/audit.resolver';
import { DataExportResolver } from './data-subject-requests/data-export.resolver';
import { DataSubjectRequestResolver } from './data-subject-requests/data-subject-request.resolver';
import { DwellingResolver } from './dwellings/dwelling.resolver';
import { LeaseResolver } from './leases/lease.resolver';
import { NotificationResolver } from './notifications/notification.resolver';
import { NuisanceCaseResolver } from './nuisance/nuisance-case.resolver';
import { OrganizationResolver } from './organizations/organization.resolver';
import { PrivacyStatementResolver } from './privacy-statements/privacy-statement.resolver';
import { applyPrivacyRules } from './privacy/shield';
import { RenovationProjectResolver } from './renovation-projects/renovation-project.resolver';
import { TenantResolver } from './tenants/tenant.resolver';
import { WorkOrderResolver } from './work-orders/work-order.resolver';

export const resolvers = [
  TenantResolver, DwellingResolver, LeaseResolver, WorkOrderResolver, OrganizationResolver,
  RenovationProjectResolver, ArrearsCaseResolver, NuisanceCaseResolver, DataSubjectRequestResolver,
  DataExportResolver, NotificationResolver, AuditResolver, PrivacyStatementResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The schema as type-graphql builds it from the classes, before any rule is applied. */
export function buildBareSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: { forbidUnknownValues: false }, emitSchemaFile: false });
  return cached;
}

/** The served schema: every field behind the rules generated from the policy. */
export async function buildProtectedSchema(): Promise<GraphQLSchema> {
  return applyPrivacyRules(await buildBareSchema());
}
