import { Organization } from '../organizations/organization.entity';
import { Dwelling } from '../dwellings/dwelling.entity';
import { Tenant } from '../tenants/tenant.entity';
import { Lease } from '../leases/lease.entity';
import { WorkOrder } from '../work-orders/work-order.entity';
import { RenovationProject } from '../renovation-projects/renovation-project.entity';
import { ArrearsCase } from '../arrears/arrears-case.entity';
import { NuisanceCase } from '../nuisance/nuisance-case.entity';
import { Invoice } from '../invoices/invoice.entity';
import { Disclosure } from '../disclosures/disclosure.entity';
import { Notification } from '../notifications/notification.entity';
import { DataSubjectRequest } from '../data-subject-requests/data-subject-request.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { PrivacyStatementVersion } from '../privacy-statements/privacy-statement.entity';

export const entities = [
  Organization, Dwelling, Tenant, Lease, WorkOrder, RenovationProject, ArrearsCase,
  NuisanceCase, Invoice, Disclosure, Notification, DataSubjectRequest, AuditEvent, PrivacyStatementVersion,
];
