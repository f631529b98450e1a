import 'reflect-metadata';
import { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { ArrearsCaseResolver, TenantArrearsCasesResolver } from '../domains/arrears/arrears-case.resolver';
import { AuditResolver } from '../domains/audit-log/audit.resolver';
import { DataExportResolver } from '../domains/data-subject-requests/data-export.resolver';
import { DataSubjectRequestResolver, RecipientNoticeRequestResolver } from '../domains/data-subject-requests/data-subject-request.resolver';
import { RecipientNoticeResolver } from '../domains/disclosures/recipient-notice.resolver';
import { AnnouncementMutationResolver } from '../domains/notifications/announcement.mutation-resolver';
import { DwellingResolver } from '../domains/dwellings/dwelling.resolver';
import { LeaseResolver, TenantLeasesResolver } from '../domains/leases/lease.resolver';
import { LeaseMutationResolver } from '../domains/leases/lease.mutation-resolver';
import { NotificationResolver } from '../domains/notifications/notification.resolver';
import { NuisanceCaseResolver, TenantNuisanceCasesResolver } from '../domains/nuisance/nuisance-case.resolver';
import { TenantInvoicesResolver } from '../domains/invoices/invoice.resolver';
import { DisclosureResolver, TenantDisclosuresResolver } from '../domains/disclosures/disclosure.resolver';
import { OrganizationResolver } from '../domains/organizations/organization.resolver';
import { PrivacyStatementResolver } from '../domains/privacy-statements/privacy-statement.resolver';
import { applyGuard } from '../privacy/rules/guard';
import { applyEntryPointShield } from '../privacy/rules/entry-points';
import { RenovationProjectResolver } from '../domains/renovation-projects/renovation-project.resolver';
import { TenantResolver } from '../domains/tenants/tenant.resolver';
import { TenantCorrectionResolver } from '../domains/tenants/tenant-correction.resolver';
import { TenantWorkOrdersResolver, WorkOrderResolver } from '../domains/work-orders/work-order.resolver';
import { ArrearsMutationResolver } from '../domains/arrears/arrears.mutation-resolver';
import { DataSubjectRequestMutationResolver } from '../domains/data-subject-requests/data-subject-request.mutation-resolver';
import { DisclosureMutationResolver } from '../domains/disclosures/disclosure.mutation-resolver';
import { IdealPaymentMutationResolver } from '../domains/payments/ideal-payment.mutation-resolver';
import { PrivacyStatementMutationResolver } from '../domains/privacy-statements/privacy-statement.mutation-resolver';
import { TenantMutationResolver } from '../domains/tenants/tenant.mutation-resolver';
import { HomeSeekerMutationResolver } from '../domains/tenants/home-seeker.mutation-resolver';
import { WorkOrderMutationResolver } from '../domains/work-orders/work-order.mutation-resolver';

export const resolvers = [
  TenantCorrectionResolver,
  TenantResolver, TenantLeasesResolver, TenantWorkOrdersResolver, TenantInvoicesResolver, TenantArrearsCasesResolver,
  TenantNuisanceCasesResolver, TenantDisclosuresResolver, DisclosureResolver, DwellingResolver, LeaseResolver, WorkOrderResolver, OrganizationResolver,
  RenovationProjectResolver, ArrearsCaseResolver, NuisanceCaseResolver, DataSubjectRequestResolver,
  DataExportResolver, NotificationResolver, AuditResolver, PrivacyStatementResolver,
  TenantMutationResolver, LeaseMutationResolver, WorkOrderMutationResolver, ArrearsMutationResolver, DisclosureMutationResolver,
  DataSubjectRequestMutationResolver, PrivacyStatementMutationResolver, IdealPaymentMutationResolver, HomeSeekerMutationResolver,
  RecipientNoticeResolver, RecipientNoticeRequestResolver, AnnouncementMutationResolver,
] as const;

let cached: Promise<GraphQLSchema> | undefined;

/** The schema as type-graphql builds it from the classes, before any rule is applied. */
export function buildBareSchema(): Promise<GraphQLSchema> {
  cached ??= buildSchema({ resolvers: [...resolvers], validate: { forbidUnknownValues: false }, emitSchemaFile: false });
  return cached;
}

/**
 * The served schema: every field behind the rules generated from the policy. The entry points
 * (`Query`, `Mutation`) through graphql-shield, once per root field of a request; the fields of
 * every other type through the guard's synchronous rules, once per field of every row.
 */
export async function buildProtectedSchema(): Promise<GraphQLSchema> {
  return applyEntryPointShield(applyGuard(await buildBareSchema()));
}
