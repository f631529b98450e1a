import { Organization } from '../domains/organizations/organization.entity';
import { Dwelling } from '../domains/dwellings/dwelling.entity';
import { Tenant } from '../domains/tenants/tenant.entity';
import { Lease } from '../domains/leases/lease.entity';
import { WorkOrder } from '../domains/work-orders/work-order.entity';
import { RenovationProject } from '../domains/renovation-projects/renovation-project.entity';
import { ArrearsCase } from '../domains/arrears/arrears-case.entity';
import { NuisanceCase } from '../domains/nuisance/nuisance-case.entity';
import { Invoice } from '../domains/invoices/invoice.entity';
import { Disclosure } from '../domains/disclosures/disclosure.entity';
import { Notification } from '../domains/notifications/notification.entity';
import { DataSubjectRequest } from '../domains/data-subject-requests/data-subject-request.entity';
import { AuditEvent } from '../domains/audit-log/audit-event.entity';
import { PrivacyStatementVersion } from '../domains/privacy-statements/privacy-statement.entity';
import { ConsentRecord } from '../domains/tenants/consent-record.entity';
import { RecipientNotice } from '../domains/disclosures/recipient-notice.entity';

export const entities = [
  Organization, Dwelling, Tenant, Lease, WorkOrder, RenovationProject, ArrearsCase,
  NuisanceCase, Invoice, Disclosure, Notification, DataSubjectRequest, AuditEvent, PrivacyStatementVersion,
  ConsentRecord, RecipientNotice,
];
