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
import { applyGuard } from './privacy/guard';
import { applyShield } from './privacy/shield';
import { RenovationProjectResolver } from './renovation-projects/renovation-project.resolver';
import { TenantResolver } from './tenants/tenant.resolver';
import { TenantCorrectionResolver } from './tenants/tenant-correction.resolver';
import { WorkOrderResolver } from './work-orders/work-order.resolver';
import { ArrearsMutationResolver } from './arrears/arrears.mutation-resolver';
import { DataSubjectRequestMutationResolver } from './data-subject-requests/data-subject-request.mutation-resolver';
import { DisclosureMutationResolver } from './disclosures/disclosure.mutation-resolver';
import { IdealPaymentMutationResolver } from './payments/ideal-payment.mutation-resolver';
import { PrivacyStatementMutationResolver } from './privacy-statements/privacy-statement.mutation-resolver';
import { TenantMutationResolver } from './tenants/tenant.mutation-resolver';
import { WorkOrderMutationResolver } from './work-orders/work-order.mutation-resolver';

export const resolvers = [
  TenantCorrectionResolver,
  TenantResolver, DwellingResolver, LeaseResolver, WorkOrderResolver, OrganizationResolver,
  RenovationProjectResolver, ArrearsCaseResolver, NuisanceCaseResolver, DataSubjectRequestResolver,
  DataExportResolver, NotificationResolver, AuditResolver, PrivacyStatementResolver,
  TenantMutationResolver, WorkOrderMutationResolver, ArrearsMutationResolver, DisclosureMutationResolver,
  DataSubjectRequestMutationResolver, PrivacyStatementMutationResolver, IdealPaymentMutationResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The schema as type-graphql builds it from the classes, before any rule is applied. */
export function buildBareSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: { forbidUnknownValues: false }, emitSchemaFile: false });
  return cached;
}

/** How the policy's field rules are applied: the guard (served) or graphql-shield (the reference). */
export type RuleApplier = 'guard' | 'shield';

/** The served schema: every field behind the rules generated from the policy. */
export async function buildProtectedSchema(applier: RuleApplier = 'guard'): Promise<GraphQLSchema> {
  const bare = await buildBareSchema();
  return applier === 'shield' ? applyShield(bare) : applyGuard(bare);
}
